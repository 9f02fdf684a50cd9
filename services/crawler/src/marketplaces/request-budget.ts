import type { ResolvedCredential } from './marketplace-credentials';

/** One granted upstream request: its concurrency permit, given back when the request is done. */
export interface BudgetPermit {
  /** Frees the concurrency permit; never rejects (an unreleased permit expires on its own). */
  release(): Promise<void>;
}

/** What a {@link RequestBudget} is asked for: one upstream request (retries ask again). */
export interface BudgetRequest {
  credential: ResolvedCredential;
  /** The tenant whose crawl sends it: platform credentials also count it against the tenant's share. */
  tenantId: string;
  /** Aborts the wait for a rate slot or a permit. */
  signal?: AbortSignal;
}

/**
 * The request budget of each credential, shared by every crawler replica: rate, concurrency, daily quota, the
 * quota pause and tenant shares.
 */
export interface RequestBudget {
  /**
   * Waits for a rate slot and a concurrency permit and counts the request against the day;
   * rejects with `MarketplaceError` `quota_exhausted`, `tenant_quota_exhausted` or `cancelled`.
   */
  acquire(request: BudgetRequest): Promise<BudgetPermit>;
  /** The marketplace said the quota is spent: every replica refuses requests with these credentials until `until`. */
  pause(credential: ResolvedCredential, until: Date): Promise<void>;
}

export const REQUEST_BUDGET = Symbol('REQUEST_BUDGET');
