import { AnyEvent, EventEnvelope, EventType, keywordOrderingKey } from '@shelfwatch/contracts';
import { CrawlEvent } from './crawl-alert.projection';

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

/**
 * The consumer's ordering key (`EventConsumerOptions.orderingKey`): a crawl's stages and its recorded ranking by
 * keyword, so batches of different keywords are projected side by side. Every row they write is the keyword's own
 * (its crawls, buckets, latest ranks, brand slots, brand-share versions) except the tenant's dashboard version,
 * which every batch bumps last, tenants in sorted order (`Projector.projectAll`), so parallel batches wait for each
 * other there and never deadlock. Tracking and alert events keep one lane (one batch at a time, in stream order):
 * their projections are not all keyed by keyword.
 */
export function reportingOrderingKey(event: AnyEvent): string {
  return isReportingEvent(event) && (isRecorded(event) || isCrawl(event)) ? keywordOrderingKey(event) : '';
}

export function isRecorded(event: ReportingEvent): event is EventEnvelope<'ranking.recorded'> {
  return event.type === 'ranking.recorded';
}

/** A stage of a crawl: requested, started, completed or failed. */
export function isCrawl(event: ReportingEvent): event is CrawlEvent {
  return event.type.startsWith('crawl.');
}
