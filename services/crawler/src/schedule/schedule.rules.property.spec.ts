import fc from 'fast-check';
import { dueAfterIntervalChange, isNewer } from './schedule.rules';

const MINUTE = 60_000;

/** The state of one keyword-product link as the projection keeps it: live or not, at a version. */
interface Link {
  live: boolean;
  version: number | undefined;
}

function apply(link: Link, event: { live: boolean; version: number }): Link {
  return isNewer(event.version, link.version) ? { live: event.live, version: event.version } : link;
}

describe('versioned schedule rules (properties)', () => {
  it('ends in the state of the newest event whatever order the events of a link arrive in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }).chain((kinds) =>
          fc.tuple(
            fc.constant(kinds.map((live, n) => ({ live, version: n + 1 }))),
            fc.shuffledSubarray(
              kinds.map((_, n) => n),
              { minLength: kinds.length },
            ),
          ),
        ),
        ([events, order]) => {
          const delivered = order.map((n) => events[n]).filter((event) => event !== undefined);
          // Redeliveries too: every event once more, in reverse.
          const withRedeliveries = [...delivered, ...[...delivered].reverse()];
          const final = withRedeliveries.reduce(apply, { live: false, version: undefined });
          const newest = events[events.length - 1];
          expect(final).toEqual({ live: newest?.live, version: newest?.version });
        },
      ),
    );
  });

  it('never schedules a changed keyword later than one new interval from now, nor within the new interval of its last crawl when it grew', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000, max: 20_000 }),
        fc.integer({ min: 5, max: 10_080 }),
        fc.integer({ min: 5, max: 10_080 }),
        (dueInMinutes, oldMinutes, newMinutes) => {
          const now = new Date('2026-12-03T10:00:00Z');
          const nextDue = new Date(now.getTime() + dueInMinutes * MINUTE);
          const due = dueAfterIntervalChange(now, nextDue, oldMinutes, newMinutes).getTime();
          expect(due).toBeLessThanOrEqual(now.getTime() + newMinutes * MINUTE);
          if (newMinutes < oldMinutes) {
            expect(due).toBeLessThanOrEqual(nextDue.getTime());
          } else {
            // Grown: the crawl the old interval was counted from is followed by a whole new interval before the
            // next one (unless that lies beyond one new interval from now), so it never runs twice within one.
            const lastCrawl = nextDue.getTime() - oldMinutes * MINUTE;
            expect(due).toBeGreaterThanOrEqual(
              Math.min(lastCrawl + newMinutes * MINUTE, now.getTime() + newMinutes * MINUTE),
            );
          }
        },
      ),
    );
  });
});
