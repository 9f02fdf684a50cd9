import { MikroORM } from '@mikro-orm/postgresql';
import { freshEm } from '@shelfwatch/persistence';
import { platformBudgetKey } from '../marketplaces/marketplace-credentials';
import type { MarketplaceQuota, MarketplaceQuotaSource } from '../marketplaces/marketplace-quota';
import type { MarketplaceRegistry } from '../marketplaces/marketplace-registry';
import { currentDay } from './budget.rules';
import { BudgetStore } from './budget.store';

/** The platform credentials' quota figures from the shared budget: the same for every replica. */
export class SharedQuotaSource implements MarketplaceQuotaSource {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: BudgetStore,
    private readonly registry: MarketplaceRegistry,
  ) {}

  async quota(marketplace: string): Promise<MarketplaceQuota> {
    const definition = this.registry.get(marketplace);
    if (!definition) {
      throw new Error(`unknown marketplace ${marketplace}`);
    }
    const em = freshEm(this.orm);
    const now = await this.store.now(em);
    const state = await this.store.read(em, platformBudgetKey(marketplace));
    const day = currentDay(now, state?.resetsAt ?? new Date(0), state?.usedToday ?? 0, (at) =>
      definition.nextQuotaReset(at),
    );
    const pausedUntil = state?.pausedUntil && state.pausedUntil > now ? state.pausedUntil : null;
    return {
      requestsToday: day.used,
      dailyQuota: definition.limits.dailyQuota,
      quotaResetsAt: day.resetsAt,
      pausedUntil,
    };
  }
}
