import { PlanLimits, PlanName } from '@shelfwatch/contracts';
import { RankingError } from '../ranking.errors';

/** Interval of a keyword created without one (raised to the plan's minimum when that is longer). */
export const DEFAULT_INTERVAL_MINUTES = 60;

/**
 * The interval a keyword gets: the requested one, which must not be below the plan's minimum (an `invalid`
 * refusal that names the minimum), or the default raised to that minimum.
 */
export function intervalFor(requested: number | undefined, plan: PlanLimits & { name: PlanName }): number {
  if (requested === undefined) {
    return Math.max(DEFAULT_INTERVAL_MINUTES, plan.minIntervalMinutes);
  }
  if (requested < plan.minIntervalMinutes) {
    throw RankingError.invalid(
      'intervalMinutes',
      `must be at least ${plan.minIntervalMinutes} minutes on the ${plan.name} plan`,
    );
  }
  return requested;
}

/** Keywords a tenant may track: the lower of its plan's and the platform's (`RANKING_MAX_KEYWORDS_PER_TENANT`). */
export function keywordLimit(plan: PlanLimits, platformMax: number): number {
  return Math.min(plan.maxKeywords, platformMax);
}
