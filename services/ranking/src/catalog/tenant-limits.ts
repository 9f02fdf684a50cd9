import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { RankingTenantPlanView } from '@shelfwatch/contracts';
import { RankingError } from '../ranking.errors';
import { CatalogStore } from './catalog.store';
import { keywordLimit } from './plan-rules';

/** How much one tenant may track (`RANKING_MAX_*`). */
export interface CatalogLimits {
  productsPerTenant: number;
  keywordsPerProduct: number;
  keywordsPerTenant: number;
}

export const CATALOG_LIMITS = Symbol('CATALOG_LIMITS');

/**
 * The tenant limits of the catalog, enforced where the rows live and race-free: every write that adds
 * products or keywords first takes a transaction-scoped advisory lock on its tenant, so two concurrent
 * creates at the boundary are counted one after the other; the counts are taken after the write's rows are
 * flushed and the transaction rolls back when one is over.
 */
@Injectable()
export class TenantLimits {
  constructor(
    @Inject(CATALOG_LIMITS) private readonly limits: CatalogLimits,
    private readonly store: CatalogStore,
  ) {}

  /** Serializes the catalog growth of one tenant until the transaction ends. */
  lock(em: EntityManager, tenantId: string): Promise<void> {
    return this.store.lockTenant(em, tenantId);
  }

  /**
   * Flushes the write, then refuses with `limit_exceeded` when the tenant or the product is over a limit;
   * the tenant's keywords are limited by the lower of its plan's `maxKeywords` and the platform's maximum.
   */
  async check(em: EntityManager, tenantId: string, productId: string, plan: RankingTenantPlanView): Promise<void> {
    await em.flush();
    const counts = await this.store.counts(em, tenantId, productId);
    if (counts.products > this.limits.productsPerTenant) {
      throw RankingError.limitExceeded('products per tenant', this.limits.productsPerTenant);
    }
    const maxKeywords = keywordLimit(plan, this.limits.keywordsPerTenant);
    if (counts.keywords > maxKeywords) {
      const byPlan = maxKeywords < this.limits.keywordsPerTenant ? ` (${plan.name} plan)` : '';
      throw RankingError.limitExceeded(`keywords per tenant${byPlan}`, maxKeywords);
    }
    if (counts.productKeywords > this.limits.keywordsPerProduct) {
      throw RankingError.limitExceeded('keywords per product', this.limits.keywordsPerProduct);
    }
  }
}
