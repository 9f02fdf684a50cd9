import { MarketplaceError } from '../../src/marketplaces/marketplace-error';
import type { ResolvedCredential } from '../../src/marketplaces/marketplace-credentials';
import type { BudgetPermit, BudgetRequest, RequestBudget } from '../../src/marketplaces/request-budget';

/**
 * A budget of one process without limits, only the quota pause: for tests of the client's own behaviour. The
 * shared budget's rate, concurrency, quota and shares are tested against Postgres (test/budget).
 */
export class PauseOnlyBudget implements RequestBudget {
  readonly pauses = new Map<string, Date>();
  granted = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  acquire(request: BudgetRequest): Promise<BudgetPermit> {
    const until = this.pauses.get(request.credential.budgetKey);
    if (until !== undefined && until.getTime() > this.clock()) {
      return Promise.reject(MarketplaceError.quotaExhausted(until, { message: 'paused' }));
    }
    this.granted += 1;
    return Promise.resolve({ release: () => Promise.resolve() });
  }

  pause(credential: ResolvedCredential, until: Date): Promise<void> {
    this.pauses.set(credential.budgetKey, until);
    return Promise.resolve();
  }
}
