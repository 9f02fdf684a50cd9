import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { CrawlerTenantUsage } from '@shelfwatch/contracts';
import { freshEm } from '@shelfwatch/persistence';
import { CREDENTIAL_RESOLVER, CredentialResolver } from '../marketplaces/marketplace-credentials';
import { isMarketplaceError } from '../marketplaces/marketplace-error';
import { MarketplaceDefinition, MarketplaceRegistry } from '../marketplaces/marketplace-registry';
import { currentDay } from './budget.rules';
import { BudgetStore } from './budget.store';

/** What a tenant's crawls spent today of each marketplace's budget, as `crawler.tenant.usage` answers. */
@Injectable()
export class TenantUsageReader {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: BudgetStore,
    private readonly registry: MarketplaceRegistry,
    @Inject(CREDENTIAL_RESOLVER) private readonly credentials: CredentialResolver,
  ) {}

  /** One entry per marketplace the tenant can crawl (none without any credentials to use). */
  async usage(tenantId: string): Promise<CrawlerTenantUsage[]> {
    // One clock for every marketplace of the answer (the database's, as the budget's own decisions use).
    const now = await this.store.now(freshEm(this.orm));
    const entries = await Promise.all(this.registry.list().map((definition) => this.of(tenantId, definition, now)));
    return entries.filter((entry): entry is CrawlerTenantUsage => entry !== null);
  }

  private async of(tenantId: string, definition: MarketplaceDefinition, now: Date): Promise<CrawlerTenantUsage | null> {
    const credential = await this.credentials.resolve(tenantId, definition.id).catch((err: unknown) => {
      if (isMarketplaceError(err) && err.code === 'auth_failed') {
        return null;
      }
      throw err;
    });
    if (!credential) {
      return null;
    }
    const em = freshEm(this.orm);
    const nextReset = (at: Date) => definition.nextQuotaReset(at);
    const { dailyQuota } = definition.limits;
    if (credential.source === 'tenant') {
      const state = await this.store.read(em, credential.budgetKey);
      const day = currentDay(now, state?.resetsAt ?? new Date(0), state?.usedToday ?? 0, nextReset);
      const pausedUntil = state?.pausedUntil ?? null;
      const paused = pausedUntil !== null && pausedUntil > now;
      return {
        marketplace: definition.id,
        credentialSource: 'tenant',
        usedToday: day.used,
        shareToday: null,
        resetsAt: day.resetsAt.toISOString(),
        exhausted: paused || day.used >= dailyQuota,
      };
    }
    const tenant = await this.store.tenantDay(em, credential.budgetKey, {
      marketplace: definition.id,
      tenantId,
      dailyQuota,
    });
    const day = currentDay(now, tenant.resetsAt, tenant.usedToday, nextReset);
    return {
      marketplace: definition.id,
      credentialSource: 'platform',
      usedToday: day.used,
      shareToday: tenant.share,
      resetsAt: day.resetsAt.toISOString(),
      exhausted: day.used >= tenant.share,
    };
  }
}
