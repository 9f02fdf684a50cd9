import { AlertRuleSettings, AlertType, Standing } from '@shelfwatch/contracts';
import fc from 'fast-check';
import { priceUndercut, productMissing } from '../rules/alert-rules';
import { TenantRules } from '../rules/rule-settings';
import { AlertLifeEvent, AlertState, decideAck, evolve } from './alert.lifecycle';
import { CrawlEvaluation, OpenAlert, alertKey, evaluateCrawl } from './crawl-evaluation';

const PRODUCTS = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
const KEYWORD = '00000000-0000-4000-8000-0000000000b1';
const START = Date.parse('2026-11-22T10:00:00Z');

const settings: fc.Arbitrary<AlertRuleSettings> = fc.record({
  priceUndercut: fc.record({
    enabled: fc.boolean(),
    minPercent: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
    minAmount: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
  }),
  rankDrop: fc.record({
    enabled: fc.boolean(),
    minPlaces: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    topK: fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }),
  }),
  productMissing: fc.record({ enabled: fc.boolean() }),
  newCompetitor: fc.record({ enabled: fc.boolean(), topN: fc.integer({ min: 1, max: 5 }) }),
  cooldownMinutes: fc.integer({ min: 0, max: 120 }),
});

/** What one crawl of the keyword saw of one product; null: the product is no longer tracked on it. */
const sighting = fc.option(
  fc.record({
    rank: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null, freq: 3 }),
    lowest: fc.option(fc.integer({ min: 70, max: 130 }), { nil: null, freq: 4 }),
  }),
  { nil: null, freq: 6 },
);

/** One crawl: how long after the previous one, every product's sighting, the top competitors, a user's acks. */
const crawl = fc.record({
  minutesLater: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 150 })),
  sightings: fc.array(sighting, { minLength: PRODUCTS.length, maxLength: PRODUCTS.length }),
  top: fc.uniqueArray(fc.constantFrom('c1', 'c2', 'c3', 'c4'), { maxLength: 4 }),
  acknowledge: fc.boolean(),
});

const scenario = fc.record({
  defaults: settings,
  override: fc.option(settings, { nil: null }),
  crawls: fc.array(crawl, { minLength: 1, maxLength: 25 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

interface Stored {
  open: OpenAlert;
  state: AlertState;
}

/** The alert store as the writer keeps it: each alert's state is the fold of its events. */
class AlertBook {
  readonly alerts: Stored[] = [];
  readonly lastRaisedAt = new Map<string, Date>();
  private seq = 0;

  openAlerts(): OpenAlert[] {
    return this.alerts.filter((a) => a.state.status !== 'resolved').map((a) => a.open);
  }

  apply(evaluation: CrawlEvaluation, at: Date): void {
    for (const { alert, reason } of evaluation.resolve) {
      this.append(alert.alertId, { type: 'alert.resolved', at: at.toISOString(), eventId: this.nextId(), reason });
    }
    for (const raise of evaluation.raise) {
      const open: OpenAlert = { alertId: this.nextId(), keywordId: KEYWORD, ...raise };
      const event: AlertLifeEvent = { type: 'alert.raised', at: at.toISOString(), eventId: this.nextId() };
      this.alerts.push({ open, state: evolve(null, event) });
      this.lastRaisedAt.set(alertKey(raise.type, raise.productId), at);
    }
  }

  acknowledgeAll(at: Date): void {
    for (const stored of this.alerts) {
      const decision = decideAck(stored.state);
      expect(decision.kind === 'refused').toBe(stored.state.status === 'resolved');
      if (decision.kind === 'acknowledge') {
        this.append(stored.open.alertId, { type: 'alert.acknowledged', at: at.toISOString(), eventId: this.nextId() });
      }
    }
  }

  private append(alertId: string, event: AlertLifeEvent): void {
    const stored = this.alerts.find((a) => a.open.alertId === alertId);
    if (!stored) {
      throw new Error(`no alert ${alertId}`);
    }
    stored.state = evolve(stored.state, event);
  }

  private nextId(): string {
    this.seq += 1;
    return `id-${this.seq}`;
  }
}

function standingsOf(
  sightings: readonly ({ rank: number | null; lowest: number | null } | null)[],
  previous: Map<string, number | null>,
): Standing[] {
  return PRODUCTS.flatMap((productId, i) => {
    const seen = sightings[i];
    if (!seen) {
      return [];
    }
    const previousRank = previous.get(productId) ?? null;
    return [
      {
        productId,
        rank: seen.rank,
        previousRank,
        change: seen.rank !== null && previousRank !== null ? previousRank - seen.rank : null,
        myPrice: 100,
        priceSource: 'catalog' as const,
        observedMall: null,
        catalogPrice: null,
        currency: 'KRW',
        otherCurrencyCompetitors: 0,
        lowestCompetitorPrice: seen.lowest,
        lowestCompetitor: seen.lowest === null ? null : { externalId: 'c1', mall: 'Mall', rank: 1 },
      },
    ];
  });
}

/** Rules whose condition depends on this crawl alone, so the test can judge "cleared" independently. */
function holds(type: AlertType, rules: AlertRuleSettings, standing: Standing): boolean | null {
  switch (type) {
    case 'price_undercut':
      return priceUndercut(rules.priceUndercut, standing).kind === 'active';
    case 'product_missing':
      return productMissing(standing).kind === 'active';
    case 'rank_drop':
    case 'new_competitor':
      return null;
    default: {
      const unknown: never = type;
      throw new Error(`unknown type ${String(unknown)}`);
    }
  }
}

/** What each crawl of a scenario did, for the properties to judge. */
interface Step {
  now: Date;
  standings: Standing[];
  openBefore: OpenAlert[];
  lastRaisedBefore: ReadonlyMap<string, Date>;
  evaluation: CrawlEvaluation;
  open: OpenAlert[];
  settingsOf: (productId: string) => AlertRuleSettings;
}

/** Runs a scenario's crawls one after the other through the evaluation and the alert store. */
function fold({ defaults, override, crawls }: Scenario, onStep: (step: Step) => void): void {
  const firstProduct = PRODUCTS[0] ?? '';
  const rules: TenantRules = {
    defaults,
    overrides: new Map(override ? [[firstProduct, { productId: firstProduct, ...override }]] : []),
  };
  const settingsOf = (productId: string): AlertRuleSettings =>
    productId === firstProduct && override ? override : defaults;
  const book = new AlertBook();
  let at = START;
  let previousRanks = new Map<string, number | null>();
  let previousTop: string[] | null = null;
  for (const step of crawls) {
    at += step.minutesLater * 60_000;
    const now = new Date(at);
    const standings = standingsOf(step.sightings, previousRanks);
    const openBefore = book.openAlerts();
    const lastRaisedBefore = new Map(book.lastRaisedAt);
    const evaluation = evaluateCrawl({
      crawledAt: now,
      rules,
      standings,
      top: { previous: previousTop && shelfOf(previousTop), current: shelfOf(step.top) },
      open: openBefore,
      lastRaisedAt: lastRaisedBefore,
    });
    book.apply(evaluation, now);
    onStep({ now, standings, openBefore, lastRaisedBefore, evaluation, open: book.openAlerts(), settingsOf });
    if (step.acknowledge) {
      book.acknowledgeAll(now);
    }
    previousRanks = new Map(standings.map((s) => [s.productId, s.rank]));
    previousTop = step.top;
  }
}

function shelfOf(top: readonly string[]): { externalId: string; mall: string; rank: number }[] {
  return top.map((externalId, i) => ({ externalId, mall: externalId, rank: i + 1 }));
}

function keyOf(alert: { type: AlertType; productId: string }): string {
  return alertKey(alert.type, alert.productId);
}

describe('alert lifecycle folded over crawl evaluations (properties)', () => {
  it('never holds two open alerts for one (rule, product, keyword), and a holding condition has exactly one', () => {
    fc.assert(
      fc.property(scenario, (given) =>
        fold(given, ({ now, standings, lastRaisedBefore, open, settingsOf }) => {
          const keys = open.map(keyOf);
          expect(new Set(keys).size).toBe(keys.length);
          for (const standing of standings) {
            const effective = settingsOf(standing.productId);
            for (const type of ['price_undercut', 'product_missing'] as const) {
              const key = alertKey(type, standing.productId);
              const enabled =
                type === 'price_undercut' ? effective.priceUndercut.enabled : effective.productMissing.enabled;
              const last = lastRaisedBefore.get(key);
              const cooledDown = !last || now.getTime() - last.getTime() >= effective.cooldownMinutes * 60_000;
              if (enabled && holds(type, effective, standing) === true && cooledDown) {
                expect(keys.filter((k) => k === key)).toHaveLength(1);
              }
            }
          }
        }),
      ),
      { numRuns: 150 },
    );
  });

  it('never raises a (rule, product) again within its cool-down, nor while its alert is open', () => {
    fc.assert(
      fc.property(scenario, (given) =>
        fold(given, ({ now, openBefore, lastRaisedBefore, evaluation, settingsOf }) => {
          for (const raise of evaluation.raise) {
            expect(openBefore.map(keyOf)).not.toContain(keyOf(raise));
            const last = lastRaisedBefore.get(keyOf(raise));
            const sinceLast = last === undefined ? Infinity : now.getTime() - last.getTime();
            expect(sinceLast).toBeGreaterThanOrEqual(settingsOf(raise.productId).cooldownMinutes * 60_000);
          }
        }),
      ),
      { numRuns: 150 },
    );
  });

  it('keeps no alert open whose condition cleared or whose product is no longer tracked on the keyword', () => {
    fc.assert(
      fc.property(scenario, (given) =>
        fold(given, ({ standings, open, settingsOf }) => {
          for (const alert of open) {
            const standing = standings.find((s) => s.productId === alert.productId);
            expect(standing).toBeDefined();
            expect(standing && holds(alert.type, settingsOf(alert.productId), standing)).not.toBe(false);
          }
        }),
      ),
      { numRuns: 150 },
    );
  });
});
