import { EntityManager } from '@mikro-orm/postgresql';
import { EventEnvelope } from '@shelfwatch/contracts';
import { changedAny, executePrepared } from '@shelfwatch/persistence';
import { inKeyOrder } from './key-order';

/** Crawl stages; a crawl only ever moves forward, so a replayed or late earlier stage changes nothing. */
export enum CrawlStage {
  Requested = 1,
  Running = 2,
  Completed = 3,
  Failed = 4,
}

export type CrawlEvent =
  | EventEnvelope<'crawl.requested'>
  | EventEnvelope<'crawl.started'>
  | EventEnvelope<'crawl.completed'>
  | EventEnvelope<'crawl.failed'>;

/** The stage an event moves a crawl to, and when. */
export function crawlTransition(event: CrawlEvent): { stage: CrawlStage; at: string } {
  switch (event.type) {
    case 'crawl.requested':
      return { stage: CrawlStage.Requested, at: event.occurredAt };
    case 'crawl.started':
      return { stage: CrawlStage.Running, at: event.data.startedAt };
    case 'crawl.completed':
      return { stage: CrawlStage.Completed, at: event.data.completedAt };
    case 'crawl.failed':
      // An attempt the crawler retries leaves the crawl running; only the final failure ends it.
      return { stage: event.data.willRetry === true ? CrawlStage.Running : CrawlStage.Failed, at: event.data.failedAt };
    default: {
      const unknown: never = event;
      throw new Error(`not a crawl event: ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Moves each crawl of the events to the furthest stage they reach, in one statement; answers the tenants whose
 * crawls moved. Applying them one by one in stream order ends the same: a crawl only moves forward, so of its events
 * only the first to reach its furthest stage counts (every part of a split `crawl.completed` lands here; the first
 * moves the crawl, the rest are no-ops), and one statement cannot touch a row twice anyway.
 */
export async function crawlsAdvanced(em: EntityManager, events: readonly CrawlEvent[]): Promise<Set<string>> {
  const furthest = new Map<string, { event: CrawlEvent; stage: CrawlStage; at: string }>();
  for (const event of events) {
    const { stage, at } = crawlTransition(event);
    const known = furthest.get(event.data.crawlId);
    if (known === undefined || stage > known.stage) {
      furthest.set(event.data.crawlId, { event, stage, at });
    }
  }
  if (furthest.size === 0) {
    return new Set();
  }
  // In one order whatever the events' order: a rebuild and the live consumer writing the same crawls side by side
  // lock their rows in the same order, so they cannot deadlock.
  const moves = inKeyOrder(furthest);
  const rows = await executePrepared<{ tenant_id: string }>(
    em,
    `insert into reporting.crawls as c (crawl_id, tenant_id, keyword_id, stage, changed_at)
     select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::smallint[], $5::timestamptz[])
     on conflict (crawl_id) do update set stage = excluded.stage, changed_at = excluded.changed_at
       where excluded.stage > c.stage
     returning tenant_id`,
    [
      moves.map((m) => m.event.data.crawlId),
      moves.map((m) => m.event.tenantId),
      moves.map((m) => m.event.data.keywordId),
      moves.map((m) => m.stage),
      moves.map((m) => m.at),
    ],
  );
  return new Set(rows.map((row) => row.tenant_id));
}

/** An alert is open once its type is known (raised) until it is resolved; either may arrive first. */
export function alertRaised(em: EntityManager, event: EventEnvelope<'alert.raised'>): Promise<boolean> {
  return changedAny(
    em,
    `insert into reporting.alerts as a (alert_id, tenant_id, alert_type, resolved_at) values (?, ?, ?, null)
     on conflict (alert_id) do update set alert_type = excluded.alert_type where a.alert_type is null
     returning alert_id`,
    [event.data.alertId, event.tenantId, event.data.alertType],
  );
}

export function alertResolved(em: EntityManager, event: EventEnvelope<'alert.resolved'>): Promise<boolean> {
  return changedAny(
    em,
    `insert into reporting.alerts as a (alert_id, tenant_id, alert_type, resolved_at) values (?, ?, null, ?::timestamptz)
     on conflict (alert_id) do update set resolved_at = excluded.resolved_at where a.resolved_at is null
     returning alert_id`,
    [event.data.alertId, event.tenantId, event.data.resolvedAt],
  );
}
