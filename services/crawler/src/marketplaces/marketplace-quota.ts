/** Where a marketplace's platform credentials stand against their daily quota. */
export interface MarketplaceQuota {
  /** Requests sent today (since the last reset), retries included. */
  requestsToday: number;
  dailyQuota: number;
  /** When the daily count starts again (Naver: midnight in Seoul). */
  quotaResetsAt: Date;
  /** Set while a quota error pauses every request. */
  pausedUntil: Date | null;
}

/** Reads a marketplace's quota figures (of the platform credentials). */
export interface MarketplaceQuotaSource {
  quota(marketplace: string): Promise<MarketplaceQuota>;
}

/** Implemented by the shared budget (`budget/shared-quota-source.ts`): every replica reads the same figures. */
export const MARKETPLACE_QUOTA = Symbol('MARKETPLACE_QUOTA');
