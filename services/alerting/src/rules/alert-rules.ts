import { AlertRuleSettings, Standing, formatMoney } from '@shelfwatch/contracts';

/** Figures that justified an alert; stored with it and sent in `alert.raised`. */
export type AlertDetails = Record<string, string | number | boolean | null>;

/**
 * What a rule says about one product after one successful crawl: its condition holds (with the figures), it
 * does not hold (with, when it is worth saying, why it could not hold), or the crawl cannot tell (then an open
 * alert stays as it is and nothing new is raised).
 */
export type RuleOutcome =
  | { kind: 'active'; message: string; details: AlertDetails }
  | { kind: 'clear'; explanation?: string }
  | { kind: 'unknown' };

const CLEAR: RuleOutcome = { kind: 'clear' };
const UNKNOWN: RuleOutcome = { kind: 'unknown' };

/** Whole percent with one decimal, e.g. 12.5. */
function percentOf(part: number, whole: number): number {
  return Math.round((part / whole) * 1_000) / 10;
}

/**
 * Price undercut: the cheapest competitor is strictly below my price by at least `minPercent` % of my price
 * or at least `minAmount` (in the product's currency; either threshold suffices; both unset: any amount). An
 * equal price is no undercut. "My price" is the standing's: the price my product was observed at on the shelf
 * when it was there with a price, else the catalogue price (`priceSource` says which, and goes into the details).
 * Only prices in my currency are compared (the standing's cheapest competitor is in it): a shelf whose priced
 * competitors are all in other currencies is no undercut, and the outcome says they were not compared.
 */
export function priceUndercut(rule: AlertRuleSettings['priceUndercut'], standing: Standing): RuleOutcome {
  const lowest = standing.lowestCompetitorPrice;
  const { currency, otherCurrencyCompetitors: others } = standing;
  if (lowest === null) {
    return others > 0
      ? {
          kind: 'clear',
          explanation: `${others} competitor(s) priced in other currencies than ${currency}: not compared`,
        }
      : CLEAR;
  }
  const gap = standing.myPrice - lowest;
  if (gap <= 0) {
    return CLEAR;
  }
  const byAmount = rule.minAmount !== null && gap >= rule.minAmount;
  // Compared as gap·100 ≥ percent·price so that "exactly 5 %" is not lost to floating point.
  const byPercent = rule.minPercent !== null && gap * 100 >= rule.minPercent * standing.myPrice;
  const noThreshold = rule.minAmount === null && rule.minPercent === null;
  if (!(byAmount || byPercent || noThreshold)) {
    return CLEAR;
  }
  const percent = percentOf(gap, standing.myPrice);
  const who = standing.lowestCompetitor;
  return {
    kind: 'active',
    message: `A competitor${who ? ` (${who.mall || who.externalId})` : ''} is ${percent}% (${formatMoney(gap, currency)}) below your price`,
    details: {
      currency,
      myPrice: standing.myPrice,
      priceSource: standing.priceSource,
      observedMall: standing.observedMall,
      competitorPrice: lowest,
      gap,
      gapPercent: percent,
      competitorExternalId: who?.externalId ?? null,
      competitorMall: who?.mall ?? null,
      competitorRank: who?.rank ?? null,
      otherCurrencyCompetitors: others,
    },
  };
}

/**
 * Rank drop: my product fell at least `minPlaces` below its reference rank, or left the top `topK` it was in.
 * The reference is the rank before the drop: the previous crawl's, or, while an alert is open, the rank the
 * alert was raised against (so the alert stays until the product recovers, not until it stops falling).
 * A product not found on the shelf is the "product missing" rule's business: unknown here.
 */
export function rankDrop(
  rule: AlertRuleSettings['rankDrop'],
  standing: Standing,
  openBaselineRank: number | null,
): RuleOutcome {
  const reference = openBaselineRank ?? standing.previousRank;
  if (standing.rank === null || reference === null) {
    return UNKNOWN;
  }
  const fell = standing.rank - reference;
  const byPlaces = rule.minPlaces !== null && fell >= rule.minPlaces;
  const leftTopK = rule.topK !== null && reference <= rule.topK && standing.rank > rule.topK;
  if (!byPlaces && !leftTopK) {
    return CLEAR;
  }
  const message = leftTopK
    ? `Your product left the top ${rule.topK ?? ''}: rank ${reference} → ${standing.rank}`
    : `Your product dropped ${fell} places: rank ${reference} → ${standing.rank}`;
  return {
    kind: 'active',
    message,
    details: { baselineRank: reference, rank: standing.rank, placesDropped: fell, topK: rule.topK },
  };
}

/** Product missing: my product is not on the crawled shelf. Judged only on successful crawls (the caller's duty). */
export function productMissing(standing: Standing): RuleOutcome {
  if (standing.rank !== null) {
    return CLEAR;
  }
  return {
    kind: 'active',
    message: 'Your product is not in the search results',
    details: { previousRank: standing.previousRank },
  };
}

/** A competitor's place on a shelf. */
export interface ShelfCompetitor {
  externalId: string;
  mall: string;
  rank: number;
}

/** Competitors in the top `topN` of the previous and of this crawl (own products and exclusions left out). */
export interface TopCompetitors {
  /** Null on the keyword's first recorded crawl: there is nothing to compare with. */
  previous: readonly ShelfCompetitor[] | null;
  current: readonly ShelfCompetitor[];
}

/**
 * New competitor: someone is in the top `topN` who was not there at the previous crawl. While an alert is
 * open it stays active as long as one of the entrants it named is still in the top `topN`.
 */
export function newCompetitor(
  rule: AlertRuleSettings['newCompetitor'],
  shelf: TopCompetitors,
  openEntrants: readonly string[] | null,
): RuleOutcome {
  const inTop = shelf.current.filter((entry) => entry.rank <= rule.topN);
  if (openEntrants !== null) {
    const still = inTop.filter((entry) => openEntrants.includes(entry.externalId));
    return still.length > 0 ? active(rule.topN, still) : CLEAR;
  }
  if (shelf.previous === null) {
    return UNKNOWN;
  }
  const before = new Set(shelf.previous.filter((entry) => entry.rank <= rule.topN).map((entry) => entry.externalId));
  const entrants = inTop.filter((entry) => !before.has(entry.externalId));
  return entrants.length > 0 ? active(rule.topN, entrants) : CLEAR;
}

function active(topN: number, entrants: readonly ShelfCompetitor[]): RuleOutcome {
  const names = entrants.map((entry) => `${entry.mall || entry.externalId} (#${entry.rank})`).join(', ');
  return {
    kind: 'active',
    message: `New in the top ${topN}: ${names}`,
    details: {
      topN,
      entrants: entrants.map((entry) => entry.externalId).join(','),
      bestEntrantRank: Math.min(...entrants.map((entry) => entry.rank)),
    },
  };
}

/** The entrants an open "new competitor" alert named (its `entrants` detail). */
export function entrantsOf(details: AlertDetails): string[] {
  const entrants = details.entrants;
  return typeof entrants === 'string' && entrants !== '' ? entrants.split(',') : [];
}

/** The rank an open "rank drop" alert was raised against (its `baselineRank` detail). */
export function baselineRankOf(details: AlertDetails): number | null {
  const baseline = details.baselineRank;
  return typeof baseline === 'number' ? baseline : null;
}
