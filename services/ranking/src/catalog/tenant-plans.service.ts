import { Injectable } from '@nestjs/common';
import {
  RankingTenantPlanGetInput,
  RankingTenantPlanSetInput,
  RankingTenantPlanView,
  planView,
} from '@shelfwatch/contracts';
import { CatalogWriter, pending } from './catalog-writer';
import { CatalogStore } from './catalog.store';
import { TenantLimits } from './tenant-limits';
import { planOf } from './tenant-plan.query';

/** Each tenant's plan: read by the catalog's limits, set by the operator, announced to the crawler. */
@Injectable()
export class TenantPlansService {
  constructor(
    private readonly writer: CatalogWriter,
    private readonly limits: TenantLimits,
    private readonly store: CatalogStore,
  ) {}

  get(input: RankingTenantPlanGetInput): Promise<RankingTenantPlanView> {
    return planOf(this.writer.reader(), input.tenantId);
  }

  /**
   * Puts the tenant on a plan; `tracking.tenant.plan.changed` with the plan's next version. Taken under the
   * catalog lock of the tenant, so a concurrent keyword add counts against one plan or the other, never a mix.
   * A downgrade keeps what the tenant tracks; only new keywords and intervals meet the new limits.
   */
  set(input: RankingTenantPlanSetInput): Promise<RankingTenantPlanView> {
    return this.writer.write(input, async ({ em, now }) => {
      await this.limits.lock(em, input.tenantId);
      const version = await this.store.setPlan(em, input.tenantId, input.plan, now);
      const plan = planView(input.plan);
      const { name, shareWeight, maxKeywords, minIntervalMinutes } = plan;
      return {
        result: plan,
        events: [
          pending(
            'tracking.tenant.plan.changed',
            { plan: name, shareWeight, maxKeywords, minIntervalMinutes, version },
            input.tenantId,
          ),
        ],
      };
    });
  }
}
