import { EntityManager } from '@mikro-orm/postgresql';
import { bumpCacheVersions, dashboardScope, brandsScope } from '../cache/cache-versions';
import { bucketSlackMs } from '../retention/derived-purge';
import { purgeWatermarks } from '../retention/purge-watermarks';
import { alertRaised, alertResolved, crawlAdvanced } from './crawl-alert.projection';
import { rankingRecorded } from './ranking.projection';
import { ReportingEvent } from './reporting-events';
import { keywordLinked, productAdded, productRemoved } from './tracking.projection';

/** Applies one event to the read models; true when something changed. */
async function apply(em: EntityManager, event: ReportingEvent): Promise<boolean> {
  switch (event.type) {
    case 'tracking.product.added':
      return productAdded(em, event);
    case 'tracking.product.removed':
      return productRemoved(em, event);
    case 'tracking.keyword.added':
      return keywordLinked(em, event, true);
    case 'tracking.keyword.removed':
      return keywordLinked(em, event, false);
    case 'crawl.requested':
    case 'crawl.started':
    case 'crawl.completed':
    case 'crawl.failed':
      return crawlAdvanced(em, event);
    case 'ranking.recorded':
      return rankingRecorded(em, event);
    case 'alert.raised':
      return alertRaised(em, event);
    case 'alert.resolved':
      return alertResolved(em, event);
    default: {
      const unknown: never = event;
      throw new Error(`no projection for ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * A recorded crawl older than what the purges of its tenant reached (less the longest bucket, so that a bucket
 * the purge keeps stays whole): projecting it would bring purged rank and price history back. Crawl and alert
 * events are projected whatever their age (a stage or a state must not go missing); a rebuild re-applies the
 * purges afterwards ({@link rebuildReadModels}).
 */
async function purgedAlready(em: EntityManager, event: ReportingEvent): Promise<boolean> {
  if (event.type !== 'ranking.recorded') {
    return false;
  }
  const watermark = await purgeWatermarks.of(em, event.tenantId, 'ranking_rows');
  return (
    watermark !== null &&
    new Date(event.data.recordedAt).getTime() < watermark.getTime() - bucketSlackMs('ranking_rows')
  );
}

/**
 * Projects an event inside the caller's transaction (the consumer's inbox transaction, or a rebuild
 * batch) and, when it changed a read model, bumps the cache versions of the answers that depend on it in
 * the same transaction. Replaying an event changes nothing, not even a cache version, and neither does an
 * event older than its tenant's purges.
 */
export async function project(em: EntityManager, event: ReportingEvent): Promise<void> {
  if ((await purgedAlready(em, event)) || !(await apply(em, event))) {
    return;
  }
  const scopes =
    event.type === 'ranking.recorded' ? [dashboardScope, brandsScope(event.data.keywordId)] : [dashboardScope];
  await bumpCacheVersions(em, event.tenantId, scopes);
}
