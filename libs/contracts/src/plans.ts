import { z } from 'zod';

/** What a tenant's plan allows (docs/crawl-pipeline.md §Plans). */
export interface PlanLimits {
  /** The tenant's weight in the share of a platform daily budget (equal weights: equal shares). */
  shareWeight: number;
  /** Distinct keywords the tenant may track (the lower of this and `RANKING_MAX_KEYWORDS_PER_TENANT` applies). */
  maxKeywords: number;
  /** The shortest crawl interval the tenant may set on a keyword. */
  minIntervalMinutes: number;
}

/** The plan names, cheapest first. */
export const PLAN_NAMES = ['free', 'standard', 'pro'] as const;

export type PlanName = (typeof PLAN_NAMES)[number];

/** The plan of a tenant that was never given one. */
export const DEFAULT_PLAN: PlanName = 'standard';

/** The catalogue of plans: a tenant without a plan row is on {@link DEFAULT_PLAN}. */
export const PLANS: Readonly<Record<PlanName, PlanLimits>> = {
  free: { shareWeight: 1, maxKeywords: 20, minIntervalMinutes: 360 },
  // What every tenant could do before plans existed (the platform's default keyword limit), at 15 minutes.
  standard: { shareWeight: 2, maxKeywords: 2_000, minIntervalMinutes: 15 },
  // Its keywords are still capped by RANKING_MAX_KEYWORDS_PER_TENANT: raise it for pro tenants to use theirs.
  pro: { shareWeight: 5, maxKeywords: 10_000, minIntervalMinutes: 5 },
};

/** A plan name, refused with the list of known plans. */
export const planNameSchema = z.enum(PLAN_NAMES, {
  error: `must be one of the known plans: ${PLAN_NAMES.join(', ')}`,
});

/** A plan as callers see it: its name and its limits. */
export interface PlanView extends PlanLimits {
  name: PlanName;
}

/** The view of a plan of the catalogue. */
export function planView(name: PlanName): PlanView {
  return { name, ...PLANS[name] };
}
