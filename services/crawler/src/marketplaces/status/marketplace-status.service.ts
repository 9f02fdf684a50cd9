import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import {
  CrawlerMarketplaceList,
  CrawlerMarketplaceStatuses,
  MarketplaceCapabilities,
  MarketplaceCredentialsView,
  MarketplaceStatusView,
} from '@shelfwatch/contracts';
import { CLOCK, Clock } from '@shelfwatch/messaging';
import { freshEm } from '@shelfwatch/persistence';
import { CREDENTIAL_RESOLVER, CredentialResolver, CredentialSummary } from '../marketplace-credentials';
import { MARKETPLACE_QUOTA, MarketplaceQuotaSource } from '../marketplace-quota';
import { MarketplaceDefinition, MarketplaceRegistry } from '../marketplace-registry';
import { MarketplaceBreakers } from './marketplace-breakers';
import { marketplaceState, successRate } from './marketplace-state';
import { MarketplaceCrawlCounts, MarketplaceStatusStore } from './marketplace-status.store';

const NO_CRAWLS: MarketplaceCrawlCounts = {
  finishedLastHour: 0,
  completedLastHour: 0,
  finishedLast15Minutes: 0,
  completedLast15Minutes: 0,
};

/** How long the operator's view is reused. */
const STATUSES_TTL_MS = 2_000;

/**
 * How each marketplace is doing: the breaker of every live replica, the quota as `MARKETPLACE_QUOTA` tells it, and the
 * crawl runs and schedule every replica shares.
 */
@Injectable()
export class MarketplaceStatusService {
  private cached: { at: number; answer: Promise<CrawlerMarketplaceStatuses> } | undefined;

  constructor(
    private readonly orm: MikroORM,
    private readonly store: MarketplaceStatusStore,
    private readonly registry: MarketplaceRegistry,
    private readonly breakers: MarketplaceBreakers,
    @Inject(MARKETPLACE_QUOTA) private readonly quota: MarketplaceQuotaSource,
    @Inject(CREDENTIAL_RESOLVER) private readonly credentials: CredentialResolver,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Every marketplace's status, and when the newest crawl of any completed (the operator's view). Asked on every
   * `GET /health`, which anyone may call: computed at most once per {@link STATUSES_TTL_MS} by this replica.
   */
  statuses(): Promise<CrawlerMarketplaceStatuses> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.at < STATUSES_TTL_MS) {
      return this.cached.answer;
    }
    const answer = this.compute().then(({ items, lastCompletedAt }) => ({
      items: items.map(({ id, name, status }) => ({ id, name, status })),
      lastCompletedAt: lastCompletedAt?.toISOString() ?? null,
    }));
    this.cached = { at: now, answer };
    // A failure is not remembered: the next request computes again.
    answer.catch(() => {
      if (this.cached?.answer === answer) {
        this.cached = undefined;
      }
    });
    return answer;
  }

  /**
   * The marketplaces the tenant can use, with what each one's API can do (its adapter's capabilities), the
   * credentials the tenant's crawls would use and each status. The last error and overdue keywords are the
   * tenant's own (another tenant's error message is none of its business); the rest is the marketplace's, over
   * every tenant.
   */
  async list(tenantId: string): Promise<CrawlerMarketplaceList> {
    const { items } = await this.compute(tenantId);
    return {
      items: await Promise.all(
        items.map(async (item) => ({
          ...item,
          credentials: toCredentialsView(await this.credentials.summary(tenantId, item.id)),
        })),
      ),
    };
  }

  private async compute(tenantId?: string) {
    const now = this.clock.now();
    const em = freshEm(this.orm);
    const counts = await this.store.crawlCounts(em, now);
    const overdue = await this.store.keywordsOverdue(em, now, tenantId);
    let lastCompletedAt: Date | null = null;
    const items: { id: string; name: string; capabilities: MarketplaceCapabilities; status: MarketplaceStatusView }[] =
      [];
    for (const definition of this.registry.list()) {
      const last = await this.store.lastCrawls(em, definition.id);
      if (last.lastCompletedAt && (!lastCompletedAt || last.lastCompletedAt > lastCompletedAt)) {
        lastCompletedAt = last.lastCompletedAt;
      }
      const status = await this.statusOf(definition, {
        tenantId,
        now,
        counts: counts.get(definition.id) ?? NO_CRAWLS,
        everFinished: last.lastFinishedAt !== null,
        keywordsOverdue: overdue.get(definition.id) ?? 0,
      });
      items.push({ id: definition.id, name: definition.name, capabilities: definition.adapter.capabilities, status });
    }
    return { items, lastCompletedAt };
  }

  private async statusOf(
    definition: MarketplaceDefinition,
    facts: {
      tenantId: string | undefined;
      now: Date;
      counts: MarketplaceCrawlCounts;
      everFinished: boolean;
      keywordsOverdue: number;
    },
  ): Promise<MarketplaceStatusView> {
    const { counts } = facts;
    const breaker = await this.breakers.state(freshEm(this.orm), definition.id);
    const quota = await this.quota.quota(definition.id);
    const paused = quota.pausedUntil !== null && quota.pausedUntil > facts.now;
    const lastError = await this.store.lastError(freshEm(this.orm), definition.id, facts.tenantId);
    return {
      state: marketplaceState({ breaker, quotaPaused: paused, everFinished: facts.everFinished, ...counts }),
      breaker,
      requestsToday: quota.requestsToday,
      dailyQuota: quota.dailyQuota,
      quotaResetsAt: quota.quotaResetsAt.toISOString(),
      pausedUntil: paused && quota.pausedUntil ? quota.pausedUntil.toISOString() : null,
      lastError: lastError && { ...lastError, at: lastError.at.toISOString() },
      successRateLastHour: successRate(counts.completedLastHour, counts.finishedLastHour),
      crawlsLastHour: counts.finishedLastHour,
      keywordsOverdue: facts.keywordsOverdue,
    };
  }
}

function toCredentialsView(summary: CredentialSummary): MarketplaceCredentialsView {
  return {
    source: summary.source,
    last4: summary.last4,
    lastUsedAt: summary.lastUsedAt?.toISOString() ?? null,
    updatedAt: summary.updatedAt?.toISOString() ?? null,
  };
}
