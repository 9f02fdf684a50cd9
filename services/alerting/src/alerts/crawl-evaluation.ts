import { AlertRuleSettings, AlertType, RankingEntry, Standing } from '@shelfwatch/contracts';
import {
  AlertDetails,
  RuleOutcome,
  ShelfCompetitor,
  TopCompetitors,
  baselineRankOf,
  entrantsOf,
  newCompetitor,
  priceUndercut,
  productMissing,
  rankDrop,
} from '../rules/alert-rules';
import { TenantRules, effectiveSettings, isEnabled } from '../rules/rule-settings';

/** An alert of the keyword that is raised or acknowledged (not yet resolved). */
export interface OpenAlert {
  alertId: string;
  type: AlertType;
  productId: string;
  keywordId: string;
  details: AlertDetails;
}

/** Everything one successful crawl's evaluation needs; loaded in a handful of queries, not per product. */
export interface CrawlEvaluationInput {
  /** When the crawl was made: the cool-down is measured in crawl time, so arrival order cannot change it. */
  crawledAt: Date;
  rules: TenantRules;
  standings: readonly Standing[];
  top: TopCompetitors;
  open: readonly OpenAlert[];
  /** The crawl time of the crawl that last raised an alert of each (type, product) of the keyword, by {@link alertKey}. */
  lastRaisedAt: ReadonlyMap<string, Date>;
}

export interface AlertToRaise {
  type: AlertType;
  productId: string;
  message: string;
  details: AlertDetails;
}

export type ResolveReason = 'condition_cleared' | 'product_removed' | 'rule_changed';

export interface AlertToResolve {
  alert: OpenAlert;
  reason: ResolveReason;
}

/** Why a rule found nothing for a product although the shelf had something to say (e.g. prices not compared). */
export interface RuleExplanation {
  type: AlertType;
  productId: string;
  explanation: string;
}

/** What one crawl changes: alerts to raise, to resolve, and conditions held back by the cool-down. */
export interface CrawlEvaluation {
  raise: AlertToRaise[];
  resolve: AlertToResolve[];
  /** Rule types of the conditions the cool-down held back. */
  suppressed: AlertType[];
  /** Cleared outcomes that explain themselves. */
  explained: RuleExplanation[];
}

const RULE_TYPES: readonly AlertType[] = ['price_undercut', 'rank_drop', 'product_missing', 'new_competitor'];

/** The key of de-duplication and cool-down within one keyword: (rule type, product). */
export function alertKey(type: AlertType, productId: string): string {
  return `${type}/${productId}`;
}

/** Competitors in rank order (own products and exclusions never count), up to `limit` ranks. */
export function topCompetitors(entries: readonly RankingEntry[], limit: number): ShelfCompetitor[] {
  return entries
    .filter((entry) => entry.productId === null && !entry.excluded && entry.rank <= limit)
    .map((entry) => ({ externalId: entry.externalId, mall: entry.mall, rank: entry.rank }));
}

function outcome(
  type: AlertType,
  settings: AlertRuleSettings,
  input: CrawlEvaluationInput,
  standing: Standing,
  open: OpenAlert | undefined,
): RuleOutcome {
  switch (type) {
    case 'price_undercut':
      return priceUndercut(settings.priceUndercut, standing);
    case 'rank_drop':
      return rankDrop(settings.rankDrop, standing, open ? baselineRankOf(open.details) : null);
    case 'product_missing':
      return productMissing(standing);
    case 'new_competitor':
      return newCompetitor(settings.newCompetitor, input.top, open ? entrantsOf(open.details) : null);
    default: {
      const unknown: never = type;
      throw new Error(`unknown alert type ${String(unknown)}`);
    }
  }
}

/**
 * Applies every rule to every tracked product of one successful crawl. Pure:
 * 1. a rule switched off resolves its open alert (`rule_changed`);
 * 2. an active condition with an open alert changes nothing (one condition, one alert);
 * 3. an active condition without one raises, unless the same (rule, product) raised within the cool-down;
 * 4. a cleared condition resolves the open alert; an unknown one leaves everything as it is;
 * 5. open alerts of products no longer tracked on the keyword resolve as `product_removed`.
 */
export function evaluateCrawl(input: CrawlEvaluationInput): CrawlEvaluation {
  const openByKey = new Map(input.open.map((alert) => [alertKey(alert.type, alert.productId), alert]));
  const result: CrawlEvaluation = { raise: [], resolve: [], suppressed: [], explained: [] };
  const tracked = new Set<string>();
  for (const standing of input.standings) {
    tracked.add(standing.productId);
    const settings = effectiveSettings(input.rules, standing.productId);
    for (const type of RULE_TYPES) {
      const key = alertKey(type, standing.productId);
      const open = openByKey.get(key);
      if (!isEnabled(settings, type)) {
        if (open) {
          result.resolve.push({ alert: open, reason: 'rule_changed' });
        }
        continue;
      }
      apply(result, outcome(type, settings, input, standing, open), {
        type,
        productId: standing.productId,
        open,
        coolingDown: isCoolingDown(input.lastRaisedAt.get(key), input.crawledAt, settings.cooldownMinutes),
      });
    }
  }
  for (const alert of input.open) {
    if (!tracked.has(alert.productId)) {
      result.resolve.push({ alert, reason: 'product_removed' });
    }
  }
  return result;
}

function apply(
  result: CrawlEvaluation,
  ruled: RuleOutcome,
  target: { type: AlertType; productId: string; open: OpenAlert | undefined; coolingDown: boolean },
): void {
  switch (ruled.kind) {
    case 'active':
      if (target.open) {
        return;
      }
      if (target.coolingDown) {
        result.suppressed.push(target.type);
        return;
      }
      result.raise.push({
        type: target.type,
        productId: target.productId,
        message: ruled.message,
        details: ruled.details,
      });
      return;
    case 'clear':
      if (ruled.explanation !== undefined) {
        result.explained.push({ type: target.type, productId: target.productId, explanation: ruled.explanation });
      }
      if (target.open) {
        result.resolve.push({ alert: target.open, reason: 'condition_cleared' });
      }
      return;
    case 'unknown':
      return;
    default: {
      const unknown: never = ruled;
      throw new Error(`unknown outcome ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Whether a crawl made at `crawledAt`, arriving after the judged crawl, is the judged crawl's predecessor: older
 * than it, and newer than every crawl seen before it. (Ranking then restates the judged crawl against it.)
 */
export function isLatePredecessor(
  judged: { crawledAt: Date; previousCrawledAt: Date | null },
  crawledAt: Date,
): boolean {
  const time = crawledAt.getTime();
  return (
    time < judged.crawledAt.getTime() &&
    (judged.previousCrawledAt === null || time > judged.previousCrawledAt.getTime())
  );
}

/** A crawl's standings with previous rank and change restated against its predecessor's standings, as ranking does. */
export function againstPredecessor(standings: readonly Standing[], predecessor: readonly Standing[]): Standing[] {
  const ranks = new Map(predecessor.map((s) => [s.productId, s.rank]));
  return standings.map((standing) => {
    const previousRank = ranks.get(standing.productId) ?? null;
    const change = standing.rank !== null && previousRank !== null ? previousRank - standing.rank : null;
    return { ...standing, previousRank, change };
  });
}

/** Whether an alert raised at `lastRaisedAt` still holds back a new one at `at`. */
export function isCoolingDown(lastRaisedAt: Date | undefined, at: Date, cooldownMinutes: number): boolean {
  return lastRaisedAt !== undefined && at.getTime() - lastRaisedAt.getTime() < cooldownMinutes * 60_000;
}

/** Open alerts whose rule is switched off under new rules (for the product they are about). */
export function resolvedByRuleChange(rules: TenantRules, open: readonly OpenAlert[]): AlertToResolve[] {
  return open
    .filter((alert) => !isEnabled(effectiveSettings(rules, alert.productId), alert.type))
    .map((alert) => ({ alert, reason: 'rule_changed' }));
}
