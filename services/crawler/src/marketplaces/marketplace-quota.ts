import type { MarketplaceClient } from './marketplace-client';
import type { MarketplaceRegistry } from './marketplace-registry';

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

export const MARKETPLACE_QUOTA = Symbol('MARKETPLACE_QUOTA');

/**
 * This replica's own view of the platform credentials' quota: its client's quota pause and the requests it sent
 * since it started. Stands in until the budget is shared by every replica.
 */
export class ReplicaQuotaSource implements MarketplaceQuotaSource {
  constructor(
    private readonly registry: MarketplaceRegistry,
    private readonly clients: ReadonlyMap<string, MarketplaceClient>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  quota(marketplace: string): Promise<MarketplaceQuota> {
    const definition = this.registry.get(marketplace);
    const client = this.clients.get(marketplace);
    if (!definition || !client) {
      return Promise.reject(new Error(`unknown marketplace ${marketplace}`));
    }
    const status = client.status();
    return Promise.resolve({
      requestsToday: status.requestsSent,
      dailyQuota: definition.limits.dailyQuota,
      quotaResetsAt: definition.nextQuotaReset(this.now()),
      pausedUntil: status.quotaPausedUntil ?? null,
    });
  }
}
