import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { RankingTenantPlanView } from '@shelfwatch/contracts';
import { RankingError } from '../ranking.errors';
import { keywordLimit } from './plan-rules';

/** How much one tenant may track (`RANKING_MAX_*`). */
export interface CatalogLimits {
  productsPerTenant: number;
  keywordsPerProduct: number;
  keywordsPerTenant: number;
}

export const CATALOG_LIMITS = Symbol('CATALOG_LIMITS');

interface Counts {
  products: string;
  keywords: string;
  product_keywords: string;
}

/**
 * The tenant limits of the catalog, enforced where the rows live and race-free: every write that adds
 * products or keywords first takes a transaction-scoped advisory lock on its tenant, so two concurrent
 * creates at the boundary are counted one after the other; the counts are taken after the write's rows are
 * flushed and the transaction rolls back when one is over.
 */
@Injectable()
export class TenantLimits {
  constructor(@Inject(CATALOG_LIMITS) private readonly limits: CatalogLimits) {}

  /** Serializes the catalog growth of one tenant until the transaction ends. */
  async lock(em: EntityManager, tenantId: string): Promise<void> {
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`ranking.catalog:${tenantId}`]);
  }

  /**
   * Flushes the write, then refuses with `limit_exceeded` when the tenant or the product is over a limit;
   * the tenant's keywords are limited by the lower of its plan's `maxKeywords` and the platform's maximum.
   */
  async check(em: EntityManager, tenantId: string, productId: string, plan: RankingTenantPlanView): Promise<void> {
    await em.flush();
    const [counts] = await em.execute<Counts[]>(
      `select (select count(*) from ranking.products where tenant_id = ?) as products,
              (select count(*) from ranking.keywords where tenant_id = ?) as keywords,
              (select count(*) from ranking.product_keywords where product_id = ?) as product_keywords`,
      [tenantId, tenantId, productId],
    );
    const over = (count: string | undefined, max: number): boolean => Number(count ?? 0) > max;
    if (over(counts?.products, this.limits.productsPerTenant)) {
      throw RankingError.limitExceeded('products per tenant', this.limits.productsPerTenant);
    }
    const maxKeywords = keywordLimit(plan, this.limits.keywordsPerTenant);
    if (over(counts?.keywords, maxKeywords)) {
      const byPlan = maxKeywords < this.limits.keywordsPerTenant ? ` (${plan.name} plan)` : '';
      throw RankingError.limitExceeded(`keywords per tenant${byPlan}`, maxKeywords);
    }
    if (over(counts?.product_keywords, this.limits.keywordsPerProduct)) {
      throw RankingError.limitExceeded('keywords per product', this.limits.keywordsPerProduct);
    }
  }
}
