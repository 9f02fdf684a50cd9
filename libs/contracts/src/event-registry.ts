import { z } from 'zod';
import { alertAcknowledgedV1, alertRaisedV1, alertResolvedV1 } from './events/alert.events';
import { crawlCompletedV1, crawlFailedV1, crawlRequestedV1, crawlStartedV1 } from './events/crawl.events';
import { rankingChangedV1, rankingRecordedV1 } from './events/ranking.events';
import { retentionPurgeCompletedV1, retentionPurgeRequestedV1 } from './events/retention.events';
import {
  trackingExclusionAddedV1,
  trackingExclusionRemovedV1,
  trackingKeywordAddedV1,
  trackingKeywordRemovedV1,
  trackingProductAddedV1,
  trackingProductRemovedV1,
  trackingProductUpdatedV1,
  trackingKeywordUpdatedV1,
  trackingTenantPlanChangedV1,
} from './events/tracking.events';

/**
 * Turns the `data` of version `from` of an event type into the `data` of version `from + 1`. `schema` validates
 * the old version's data first; `up` is pure and fills what the newer version added the way consumers read its
 * absence (docs/events.md §Versioning).
 */
export interface EventUpcaster {
  from: number;
  schema: z.ZodType;
  up: (data: unknown) => unknown;
}

/** One registry entry: the current version and its schema, and the upcasters of every older version. */
export interface EventRegistryEntry {
  version: number;
  schema: z.ZodType;
  upcasters?: readonly EventUpcaster[];
}

/**
 * Every event type on the wire with its current schema version. A type's subject equals its name.
 * Changing a payload incompatibly means a new version here and an upcaster from the old one
 * (`upcasters: [{ from: 1, schema: fooV1, up: fooV1ToV2 }]`): producers emit the current version, and
 * {@link parseEvent} upcasts an older one, so a consumer only ever sees the current shape.
 */
export const eventRegistry = {
  'tracking.product.added': { version: 1, schema: trackingProductAddedV1 },
  'tracking.product.updated': { version: 1, schema: trackingProductUpdatedV1 },
  'tracking.product.removed': { version: 1, schema: trackingProductRemovedV1 },
  'tracking.keyword.added': { version: 1, schema: trackingKeywordAddedV1 },
  'tracking.keyword.removed': { version: 1, schema: trackingKeywordRemovedV1 },
  'tracking.keyword.updated': { version: 1, schema: trackingKeywordUpdatedV1 },
  'tracking.tenant.plan.changed': { version: 1, schema: trackingTenantPlanChangedV1 },
  'tracking.exclusion.added': { version: 1, schema: trackingExclusionAddedV1 },
  'tracking.exclusion.removed': { version: 1, schema: trackingExclusionRemovedV1 },
  'crawl.requested': { version: 1, schema: crawlRequestedV1 },
  'crawl.started': { version: 1, schema: crawlStartedV1 },
  'crawl.completed': { version: 1, schema: crawlCompletedV1 },
  'crawl.failed': { version: 1, schema: crawlFailedV1 },
  'ranking.recorded': { version: 1, schema: rankingRecordedV1 },
  'ranking.changed': { version: 1, schema: rankingChangedV1 },
  'alert.raised': { version: 1, schema: alertRaisedV1 },
  'alert.acknowledged': { version: 1, schema: alertAcknowledgedV1 },
  'alert.resolved': { version: 1, schema: alertResolvedV1 },
  'retention.purge.requested': { version: 1, schema: retentionPurgeRequestedV1 },
  'retention.purge.completed': { version: 1, schema: retentionPurgeCompletedV1 },
} as const satisfies Record<string, EventRegistryEntry>;

export type EventType = keyof typeof eventRegistry;
export type EventData<T extends EventType> = z.infer<(typeof eventRegistry)[T]['schema']>;

/** A validated event of type `T`. */
export interface EventEnvelope<T extends EventType = EventType> {
  id: string;
  type: T;
  version: number;
  occurredAt: string;
  tenantId: string;
  correlationId: string;
  causationId: string | null;
  data: EventData<T>;
}

/** Any validated event, discriminated on `type`. */
export type AnyEvent = { [T in EventType]: EventEnvelope<T> }[EventType];

export const eventTypes = Object.keys(eventRegistry) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(eventRegistry, value);
}

/**
 * The key under which a consumer applies an event in order (`EventConsumerOptions.orderingKey`): the keyword for
 * every event about one (its crawls, its recorded rankings, its removal), so a keyword's events are applied one
 * after another in the order they arrive and different keywords in parallel; the tenant for anything else.
 */
export function keywordOrderingKey(event: AnyEvent): string {
  return 'keywordId' in event.data ? `keyword:${event.data.keywordId}` : `tenant:${event.tenantId}`;
}
