import { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_PLAN, PLAN_NAMES, PlanName, RankingTenantPlanView, planView } from '@shelfwatch/contracts';

function isPlanName(value: string): value is PlanName {
  return (PLAN_NAMES as readonly string[]).includes(value);
}

/** The tenant's plan as stored (`ranking.tenant_plans`); the default plan when it has no row. */
export async function planOf(em: EntityManager, tenantId: string): Promise<RankingTenantPlanView> {
  const [row] = await em.execute<{ plan: string }[]>('select plan from ranking.tenant_plans where tenant_id = ?', [
    tenantId,
  ]);
  return planView(row && isPlanName(row.plan) ? row.plan : DEFAULT_PLAN);
}
