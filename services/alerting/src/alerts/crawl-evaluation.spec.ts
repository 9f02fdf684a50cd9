import { Standing } from '@shelfwatch/contracts';
import { DEFAULT_RULE_SETTINGS, TenantRules } from '../rules/rule-settings';
import {
  CrawlEvaluationInput,
  OpenAlert,
  againstPredecessor,
  alertKey,
  evaluateCrawl,
  isLatePredecessor,
} from './crawl-evaluation';
import { AlertState, decideAck, evolve, replay } from './alert.lifecycle';

const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const A1 = '00000000-0000-7000-8000-0000000000a1';
const AT = new Date('2026-11-22T10:00:00Z');

const undercutOnly: TenantRules = {
  defaults: {
    ...DEFAULT_RULE_SETTINGS,
    priceUndercut: { enabled: true, minPercent: null, minAmount: null },
    rankDrop: { enabled: false, minPlaces: 5, topK: null },
    productMissing: { enabled: false },
  },
  overrides: new Map(),
};

function aStanding(overrides: Partial<Standing> = {}): Standing {
  return {
    productId: P1,
    rank: 2,
    previousRank: 2,
    change: 0,
    myPrice: 10_000,
    priceSource: 'catalog' as const,
    observedMall: null,
    catalogPrice: null,
    currency: 'KRW',
    otherCurrencyCompetitors: 0,
    lowestCompetitorPrice: 9_000,
    lowestCompetitor: { externalId: 'c-1', mall: 'Mall', rank: 1 },
    ...overrides,
  };
}

function given(overrides: Partial<CrawlEvaluationInput> = {}): CrawlEvaluationInput {
  return {
    crawledAt: AT,
    rules: undercutOnly,
    standings: [aStanding()],
    top: { previous: null, current: [] },
    open: [],
    lastRaisedAt: new Map(),
    ...overrides,
  };
}

const K1 = '00000000-0000-4000-8000-0000000000b1';
const openUndercut: OpenAlert = { alertId: A1, type: 'price_undercut', productId: P1, keywordId: K1, details: {} };

describe('evaluating one crawl', () => {
  it('given an undercut and no alert, when evaluated, then exactly one alert is raised', () => {
    const result = evaluateCrawl(given());
    expect(result.raise).toEqual([expect.objectContaining({ type: 'price_undercut', productId: P1 })]);
    expect(result.resolve).toEqual([]);
  });

  it('given the same undercut with an open alert, when evaluated again, then nothing happens (de-duplication)', () => {
    expect(evaluateCrawl(given({ open: [openUndercut] }))).toEqual({
      raise: [],
      resolve: [],
      suppressed: [],
      explained: [],
    });
  });

  it('given a shelf with competitors priced only in other currencies, when evaluated, then none raised, and why', () => {
    const standing = aStanding({ lowestCompetitorPrice: null, lowestCompetitor: null, otherCurrencyCompetitors: 2 });
    const result = evaluateCrawl(given({ standings: [standing] }));
    expect(result.raise).toEqual([]);
    expect(result.explained).toEqual([
      {
        type: 'price_undercut',
        productId: P1,
        explanation: '2 competitor(s) priced in other currencies than KRW: not compared',
      },
    ]);
  });

  it('given the undercut cleared, when evaluated, then the open alert resolves as condition_cleared', () => {
    const result = evaluateCrawl(
      given({ open: [openUndercut], standings: [aStanding({ lowestCompetitorPrice: 10_000 })] }),
    );
    expect(result.resolve).toEqual([{ alert: openUndercut, reason: 'condition_cleared' }]);
  });

  it('given a resolved alert raised 59 minutes ago and a 60-minute cool-down, when the condition returns, then it is held back', () => {
    const lastRaisedAt = new Map([[alertKey('price_undercut', P1), new Date(AT.getTime() - 59 * 60_000)]]);
    expect(evaluateCrawl(given({ lastRaisedAt }))).toEqual({
      raise: [],
      resolve: [],
      suppressed: ['price_undercut'],
      explained: [],
    });
  });

  it('given the cool-down exactly elapsed, when the condition returns, then a new alert is raised', () => {
    const lastRaisedAt = new Map([[alertKey('price_undercut', P1), new Date(AT.getTime() - 60 * 60_000)]]);
    expect(evaluateCrawl(given({ lastRaisedAt })).raise).toHaveLength(1);
  });

  it('given a per-product override switching the rule off, when evaluated, then only the other product raises', () => {
    const rules: TenantRules = {
      ...undercutOnly,
      overrides: new Map([
        [P2, { productId: P2, priceUndercut: { enabled: false, minPercent: null, minAmount: null } }],
      ]),
    };
    const result = evaluateCrawl(given({ rules, standings: [aStanding(), aStanding({ productId: P2 })] }));
    expect(result.raise.map((r) => r.productId)).toEqual([P1]);
  });

  it('given an open alert whose rule was switched off, when evaluated, then it resolves as rule_changed', () => {
    const rules: TenantRules = {
      ...undercutOnly,
      defaults: { ...undercutOnly.defaults, priceUndercut: { enabled: false, minPercent: null, minAmount: null } },
    };
    expect(evaluateCrawl(given({ rules, open: [openUndercut] })).resolve).toEqual([
      { alert: openUndercut, reason: 'rule_changed' },
    ]);
  });

  it('given an open alert of a product no longer tracked on the keyword, when evaluated, then it resolves as product_removed', () => {
    expect(evaluateCrawl(given({ open: [openUndercut], standings: [] })).resolve).toEqual([
      { alert: openUndercut, reason: 'product_removed' },
    ]);
  });

  it('given the product vanished from the shelf, when evaluated with all defaults, then product_missing raises and rank_drop waits', () => {
    const rules: TenantRules = { defaults: DEFAULT_RULE_SETTINGS, overrides: new Map() };
    const standing = aStanding({ rank: null, previousRank: 2, lowestCompetitorPrice: 10_000 });
    expect(evaluateCrawl(given({ rules, standings: [standing] })).raise.map((r) => r.type)).toEqual([
      'product_missing',
    ]);
  });
});

describe('a crawl arriving after the crawl it precedes', () => {
  const minutes = (m: number) => new Date(AT.getTime() + m * 60_000);
  const judged = { crawledAt: minutes(30), previousCrawledAt: minutes(0) };

  it('given a judged crawl seen after one at :00, when a crawl of :15 arrives, then it is its late predecessor', () => {
    expect(isLatePredecessor(judged, minutes(15))).toBe(true);
    expect(isLatePredecessor({ ...judged, previousCrawledAt: null }, minutes(15))).toBe(true);
  });

  it('given the same, when a crawl of :00 or earlier, :30 or later arrives, then it is no predecessor', () => {
    expect([-5, 0, 30, 45].map((m) => isLatePredecessor(judged, minutes(m)))).toEqual([false, false, false, false]);
  });

  it('given a judged crawl, when restated against its predecessor, then previous rank and change follow it', () => {
    const standings = [aStanding({ rank: 9 }), aStanding({ productId: P2, rank: null })];
    const predecessor = [aStanding({ rank: 2 }), aStanding({ productId: P2, rank: 4 })];
    expect(againstPredecessor(standings, predecessor).map((s) => [s.rank, s.previousRank, s.change])).toEqual([
      [9, 2, -7],
      [null, 4, null],
    ]);
    expect(againstPredecessor(standings, []).map((s) => [s.previousRank, s.change])).toEqual([
      [null, null],
      [null, null],
    ]);
  });
});

describe('an alert’s life', () => {
  const raised = { type: 'alert.raised' as const, at: '2026-11-22T10:00:00.000Z', eventId: 'e1' };

  it('given a raised alert, when acknowledged, then its state says acknowledged and keeps both steps', () => {
    const state = replay([raised, { type: 'alert.acknowledged', at: '2026-11-22T10:05:00.000Z', eventId: 'e2' }]);
    expect(state).toMatchObject({ status: 'acknowledged', acknowledgedAt: '2026-11-22T10:05:00.000Z' });
    expect(state?.history.map((h) => h.type)).toEqual(['alert.raised', 'alert.acknowledged']);
  });

  it('given each status, when acknowledging is decided, then raised acknowledges, acknowledged is a no-op, resolved is refused', () => {
    const base = evolve(null, raised);
    const acked: AlertState = evolve(base, { type: 'alert.acknowledged', at: raised.at, eventId: 'e2' });
    const resolved = evolve(acked, {
      type: 'alert.resolved',
      at: raised.at,
      eventId: 'e3',
      reason: 'condition_cleared',
    });
    expect(decideAck(base)).toEqual({ kind: 'acknowledge' });
    expect(decideAck(acked)).toEqual({ kind: 'already_acknowledged' });
    expect(decideAck(resolved).kind).toBe('refused');
    expect(resolved).toMatchObject({ status: 'resolved', resolvedReason: 'condition_cleared' });
  });

  it('given no raised event, when an acknowledgement is applied, then it is refused as out of order', () => {
    expect(() => evolve(null, { type: 'alert.acknowledged', at: raised.at, eventId: 'e2' })).toThrow(
      'before alert.raised',
    );
  });
});
