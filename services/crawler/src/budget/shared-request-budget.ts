import { MikroORM } from '@mikro-orm/postgresql';
import { setTimeout as delay } from 'node:timers/promises';
import { freshEm, inTransaction } from '@shelfwatch/persistence';
import type { ResolvedCredential } from '../marketplaces/marketplace-credentials';
import { MarketplaceError } from '../marketplaces/marketplace-error';
import type { MarketplaceDefinition, MarketplaceRegistry } from '../marketplaces/marketplace-registry';
import type { BudgetPermit, BudgetRequest, RequestBudget } from '../marketplaces/request-budget';
import { BudgetDecision, PERMIT_GRACE_MS, currentDay, decideAcquire } from './budget.rules';
import { BudgetStore } from './budget.store';

/** Tuning of a {@link SharedRequestBudget}. */
export interface SharedBudgetOptions {
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1): spreads the replicas' retries of a full window. */
  random?: () => number;
}

/**
 * The request budget of every credential, held in Postgres and shared by every crawler replica
 * (docs/crawl-pipeline.md §Budget): each acquire is one transaction under the budget's row lock, at the
 * database clock. Tenant credentials get the marketplace's limits and no share.
 */
export class SharedRequestBudget implements RequestBudget {
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly orm: MikroORM,
    private readonly store: BudgetStore,
    private readonly registry: MarketplaceRegistry,
    options: SharedBudgetOptions = {},
  ) {
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.random = options.random ?? Math.random;
  }

  async acquire(request: BudgetRequest): Promise<BudgetPermit> {
    const definition = this.definitionOf(request.credential);
    for (;;) {
      if (request.signal?.aborted === true) {
        throw new MarketplaceError('cancelled', { message: 'aborted while waiting for the request budget' });
      }
      const outcome = await this.tryAcquire(request, definition);
      if (typeof outcome === 'string') {
        return { release: () => this.release(outcome) };
      }
      if (outcome.kind === 'refuse') {
        throw refusal(outcome, request.credential);
      }
      // A little jitter, so replicas waiting for the same slot do not all ask at the same instant.
      await this.sleep(outcome.ms + Math.floor(this.random() * 20), request.signal).catch((err: unknown) => {
        throw new MarketplaceError('cancelled', {
          message: 'aborted while waiting for the request budget',
          cause: err,
        });
      });
    }
  }

  async pause(credential: ResolvedCredential, until: Date): Promise<void> {
    await this.store.pause(freshEm(this.orm), credential.budgetKey, until);
  }

  // 1. lock and read the budget, with the tenant's day when the credentials are the platform's; 2. decide;
  // 3. record a grant. One transaction: the row lock serialises every replica's acquires of this credential.
  private tryAcquire(
    request: BudgetRequest,
    definition: MarketplaceDefinition,
  ): Promise<string | Exclude<BudgetDecision, { kind: 'grant' }>> {
    const { credential, tenantId } = request;
    const limits = definition.limits;
    const nextReset = (now: Date) => definition.nextQuotaReset(now);
    const tenantQuery =
      credential.source === 'platform'
        ? { marketplace: credential.marketplace, tenantId, dailyQuota: limits.dailyQuota }
        : null;
    return inTransaction(this.orm, async (em) => {
      const state = await this.store.lockAndRead(em, credential.budgetKey, tenantQuery);
      const decision = decideAcquire(state, limits, nextReset);
      if (decision.kind !== 'grant') {
        return decision;
      }
      const day = currentDay(state.now, state.resetsAt, state.usedToday, nextReset);
      const { tenant } = state;
      const tenantDay = tenant && currentDay(state.now, tenant.resetsAt, tenant.usedToday, nextReset);
      return this.store.grant(em, {
        budgetKey: credential.budgetKey,
        now: state.now,
        resetsAt: day.resetsAt,
        usedToday: day.used + 1,
        permitExpiresAt: new Date(state.now.getTime() + limits.requestTimeoutMs + PERMIT_GRACE_MS),
        tenant: tenantDay && { tenantId, resetsAt: tenantDay.resetsAt, usedToday: tenantDay.used + 1 },
      });
    });
  }

  private async release(permitId: string): Promise<void> {
    // A permit that cannot be deleted now expires on its own.
    await this.store.release(freshEm(this.orm), permitId).catch(() => undefined);
  }

  private definitionOf(credential: ResolvedCredential): MarketplaceDefinition {
    const definition = this.registry.get(credential.marketplace);
    if (!definition) {
      throw new MarketplaceError('bad_request', { message: `unknown marketplace ${credential.marketplace}` });
    }
    return definition;
  }
}

function refusal(
  decision: Extract<BudgetDecision, { kind: 'refuse' }>,
  credential: ResolvedCredential,
): MarketplaceError {
  const until = decision.resumeAt.toISOString();
  return decision.code === 'quota_exhausted'
    ? MarketplaceError.quotaExhausted(decision.resumeAt, {
        message: `${credential.marketplace} daily quota exhausted; paused until ${until}`,
      })
    : new MarketplaceError('tenant_quota_exhausted', {
        resumeAt: decision.resumeAt,
        message: `this tenant's share of the ${credential.marketplace} daily quota is used up until ${until}`,
      });
}
