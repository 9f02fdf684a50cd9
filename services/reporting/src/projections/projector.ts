import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EventEnvelope, crawlTimeOf } from '@shelfwatch/contracts';
import { CacheVersionsStore, brandsScope, dashboardScope } from '../cache/cache-versions.store';
import { bucketSlackMs } from '../retention/derived-purge';
import { PurgeWatermarksStore } from '../retention/purge-watermarks.store';
import { CrawlEvent, alertRaised, alertResolved, crawlsAdvanced } from './crawl-alert.projection';
import { entriesInKeyOrder } from './key-order';
import { ChangedScope, rankingRecorded } from './ranking.projection';
import { ReportingEvent, isCrawl, isRecorded } from './reporting-events';
import { keywordLinked, productAdded, productRemoved } from './tracking.projection';

type Recorded = EventEnvelope<'ranking.recorded'>;

type OtherEvent = Exclude<ReportingEvent, Recorded | CrawlEvent>;

/** Applies one event (other than a crawl's) to the read models; true when something changed. */
async function apply(em: EntityManager, event: OtherEvent): Promise<boolean> {
  switch (event.type) {
    case 'tracking.product.added':
      return productAdded(em, event);
    case 'tracking.product.removed':
      return productRemoved(em, event);
    case 'tracking.keyword.added':
      return keywordLinked(em, event, true);
    case 'tracking.keyword.removed':
      return keywordLinked(em, event, false);
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

/** Cache scopes to bump, per tenant. */
function scopesByTenant(changes: readonly ChangedScope[]): Map<string, string[]> {
  const byTenant = new Map<string, string[]>();
  for (const { tenantId, scope } of changes) {
    const name = scope === 'dashboard' ? dashboardScope : brandsScope(scope.brandsOf, scope.day);
    byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), name]);
  }
  return byTenant;
}

/**
 * Projects events into the read models, inside the caller's transaction (the consumer's inbox transaction, or a
 * rebuild batch), and moves on the cache versions of the answers that changed.
 */
@Injectable()
export class Projector {
  constructor(
    private readonly cacheVersions: CacheVersionsStore,
    private readonly purgeWatermarks: PurgeWatermarksStore,
  ) {}

  /**
   * Projects a batch of events (a consumer transaction's, or a rebuild's): tracking and alert events one by one in
   * stream order, the crawls' stages in one statement ({@link crawlsAdvanced}), recorded crawls together
   * ({@link rankingRecorded}); each kind changes tables of its own. Then bumps, in the same transaction, the cache
   * versions of exactly the answers that changed, each once however many events changed it: the dashboard when a
   * tracked product, link, crawl, alert or a latest rank moved; the brand share of a keyword's day when a crawl of
   * that day was recorded. Replaying an event changes nothing, not even a cache version, and neither does a recorded
   * crawl older than its tenant's purges.
   */
  async projectAll(em: EntityManager, events: readonly ReportingEvent[]): Promise<void> {
    const changes: ChangedScope[] = [];
    for (const event of events) {
      if (!isRecorded(event) && !isCrawl(event) && (await apply(em, event))) {
        changes.push({ tenantId: event.tenantId, scope: 'dashboard' });
      }
    }
    for (const tenantId of await crawlsAdvanced(em, events.filter(isCrawl))) {
      changes.push({ tenantId, scope: 'dashboard' });
    }
    changes.push(...(await rankingRecorded(em, await this.notPurged(em, events.filter(isRecorded)))));
    // Tenants in one order (each tenant's scopes are sorted by `bump`): the consumers of the four streams, and a
    // rebuild, commit side by side, and two batches bumping the same tenants' versions in opposite orders deadlock.
    const byTenant = entriesInKeyOrder(scopesByTenant(changes));
    for (const [tenantId, scopes] of byTenant) {
      await this.cacheVersions.bump(em, tenantId, scopes);
    }
  }

  /** Projects one event (see {@link projectAll}). */
  project(em: EntityManager, event: ReportingEvent): Promise<void> {
    return this.projectAll(em, [event]);
  }

  /**
   * A recorded crawl older than what the purges of its tenant reached (less the longest bucket, so that a bucket
   * the purge keeps stays whole): projecting it would bring purged rank and price history back. Crawl and alert
   * events are projected whatever their age (a stage or a state must not go missing); a rebuild re-applies the
   * purges afterwards ({@link rebuildReadModels}). Each tenant's watermark is read once per batch.
   */
  private async notPurged(em: EntityManager, events: readonly Recorded[]): Promise<Recorded[]> {
    const watermarks = new Map<string, Date | null>();
    for (const tenantId of new Set(events.map((e) => e.tenantId))) {
      watermarks.set(tenantId, await this.purgeWatermarks.of(em, tenantId, 'ranking_rows'));
    }
    const slack = bucketSlackMs('ranking_rows');
    return events.filter((e) => {
      const watermark = watermarks.get(e.tenantId) ?? null;
      return watermark === null || new Date(crawlTimeOf(e.data)).getTime() >= watermark.getTime() - slack;
    });
  }
}
