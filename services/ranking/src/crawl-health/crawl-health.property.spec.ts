import fc from 'fast-check';
import { CrawlOutcome, crawlHealthOf } from './crawl-health';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const MINUTE = 60_000;

/** A keyword's final crawl outcomes at distinct minutes, in the order they were crawled. */
const history: fc.Arbitrary<CrawlOutcome[]> = fc
  .uniqueArray(
    fc.record({ minute: fc.integer({ min: 0, max: 500 }), completed: fc.boolean(), code: fc.constantFrom('a', 'b') }),
    { selector: (outcome) => outcome.minute, maxLength: 15 },
  )
  .map((drawn) =>
    drawn
      .sort((a, b) => a.minute - b.minute)
      .map(({ minute, completed, code }, i): CrawlOutcome => {
        const at = new Date(T0 + minute * MINUTE);
        return completed
          ? { kind: 'completed', crawlId: `c-${i}`, at }
          : { kind: 'failed', crawlId: `c-${i}`, at, code, message: `failed at ${minute}` };
      }),
  );

/** A history, and the same outcomes in the order they happened to arrive. */
const arrivals = history.chain((outcomes) =>
  fc.tuple(fc.constant(outcomes), fc.shuffledSubarray(outcomes, { minLength: outcomes.length })),
);

/** The health as a reader following the crawls in crawl order would count it. */
function inOrder(outcomes: readonly CrawlOutcome[]): { failures: number; last: CrawlOutcome | null; ok: Date | null } {
  let failures = 0;
  let last: CrawlOutcome | null = null;
  let ok: Date | null = null;
  for (const outcome of outcomes) {
    if (outcome.kind === 'completed') {
      [failures, last, ok] = [0, null, outcome.at];
    } else {
      [failures, last] = [failures + 1, outcome];
    }
  }
  return { failures, last, ok };
}

describe('crawl health (properties)', () => {
  it('counts the failures since the latest completed crawl as a reader in crawl order would, whatever the arrival order', () => {
    fc.assert(
      fc.property(arrivals, fc.integer({ min: 1, max: 5 }), ([outcomes, arrived], failingAfter) => {
        const health = crawlHealthOf(arrived, failingAfter);
        const expected = inOrder(outcomes);
        expect(health).toEqual({
          failing: expected.failures >= failingAfter,
          consecutiveFailures: expected.failures,
          lastError:
            expected.last?.kind === 'failed'
              ? { code: expected.last.code, message: expected.last.message, at: expected.last.at.toISOString() }
              : null,
          lastCrawledAt: expected.ok?.toISOString() ?? null,
        });
      }),
      { numRuns: 200 },
    );
  });
});
