import { AnyEvent, EventEnvelope, EventType } from '@shelfwatch/contracts';

/** Every event type a reporting read model is fed by; the manifest and the rebuild read this list. */
export const REPORTING_EVENT_TYPES = [
  'tracking.product.added',
  'tracking.product.removed',
  'tracking.keyword.added',
  'tracking.keyword.removed',
  'crawl.requested',
  'crawl.started',
  'crawl.completed',
  'crawl.failed',
  'ranking.recorded',
  'alert.raised',
  'alert.resolved',
] as const satisfies readonly EventType[];

export type ReportingEventType = (typeof REPORTING_EVENT_TYPES)[number];

/** A validated event one of the projections applies. */
export type ReportingEvent = { [T in ReportingEventType]: EventEnvelope<T> }[ReportingEventType];

const handled = new Set<string>(REPORTING_EVENT_TYPES);

export function isReportingEvent(event: AnyEvent): event is ReportingEvent {
  return handled.has(event.type);
}
