import { EntityManager } from '@mikro-orm/postgresql';
import { EventEnvelope } from '@shelfwatch/contracts';
import { changedAny } from '@shelfwatch/persistence';

/** Crawl stages; a crawl only ever moves forward, so a replayed or late earlier stage changes nothing. */
export enum CrawlStage {
  Requested = 1,
  Running = 2,
  Completed = 3,
  Failed = 4,
}

type CrawlEvent =
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

/** Every part of a split `crawl.completed` lands here; the first one moves the crawl, the rest are no-ops. */
export function crawlAdvanced(em: EntityManager, event: CrawlEvent): Promise<boolean> {
  const { stage, at } = crawlTransition(event);
  return changedAny(
    em,
    `insert into reporting.crawls as c (crawl_id, tenant_id, keyword_id, stage, changed_at)
     values (?, ?, ?, ?, ?::timestamptz)
     on conflict (crawl_id) do update set stage = excluded.stage, changed_at = excluded.changed_at
       where excluded.stage > c.stage
     returning crawl_id`,
    [event.data.crawlId, event.tenantId, event.data.keywordId, stage, at],
  );
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
