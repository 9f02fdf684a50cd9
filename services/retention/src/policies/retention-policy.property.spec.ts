import { DataKind } from '@shelfwatch/contracts';
import fc from 'fast-check';
import {
  DATA_KINDS,
  PolicyOverride,
  RetentionDefaults,
  planPurges,
  streamMaxAges,
  sweepPeriod,
} from './retention-policy';

const DAY_MS = 86_400_000;
const TENANTS = ['t-1', 't-2', 't-3'];

const days = fc.integer({ min: 1, max: 3_650 });
const now = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2100-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const defaults: fc.Arbitrary<RetentionDefaults> = fc.record({
  ranking_rows: days,
  crawl_runs: days,
  alerts: days,
  delivery_logs: days,
});
/** At most one override per (tenant, kind), as the policy store keeps them. */
const overrides: fc.Arbitrary<PolicyOverride[]> = fc.uniqueArray(
  fc.record({ tenantId: fc.constantFrom(...TENANTS), dataKind: fc.constantFrom(...DATA_KINDS), days }),
  { selector: (o) => `${o.tenantId}/${o.dataKind}`, maxLength: 8 },
);

/** The window a tenant keeps of a kind: its override, else the default. */
function windowOf(tenantId: string, kind: DataKind, base: RetentionDefaults, own: readonly PolicyOverride[]): number {
  return own.find((o) => o.tenantId === tenantId && o.dataKind === kind)?.days ?? base[kind];
}

/** The cut-off a purge applies to a tenant's rows of a kind: its own if the plan has one, else the default. */
function cutoffApplied(plan: ReturnType<typeof planPurges>[number], tenantId: string): Date {
  return plan.tenantCutoffs.find((t) => t.tenantId === tenantId)?.cutoff ?? plan.cutoff;
}

describe('retention policy (properties)', () => {
  it('never puts a purge cut-off inside any tenant’s window, and purges what lies beyond it', () => {
    fc.assert(
      fc.property(now, defaults, overrides, fc.double({ min: 0, max: 1, noNaN: true }), (at, base, own, where) => {
        for (const plan of planPurges(at, base, own)) {
          for (const tenantId of [...TENANTS, 't-without-override']) {
            const windowStart = at.getTime() - windowOf(tenantId, plan.dataKind, base, own) * DAY_MS;
            const cutoff = cutoffApplied(plan, tenantId).getTime();
            // A row is purged when it is strictly older than the cut-off.
            const inside = windowStart + Math.floor(where * (at.getTime() - windowStart));
            expect(inside < cutoff).toBe(false);
            expect(windowStart - 1 < cutoff).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives every expiring stream a max age covering any tenant’s window of its kinds, never beyond the platform maximum', () => {
    fc.assert(
      fc.property(defaults, overrides, days, (base, own, maxDays) => {
        const ages = streamMaxAges(base, own, maxDays);
        const kindsOf = {
          CRAWL: ['crawl_runs'],
          RANKING: ['ranking_rows'],
          ALERT: ['alerts', 'delivery_logs'],
        } as const;
        for (const [stream, kinds] of Object.entries(kindsOf)) {
          const age = ages[stream as keyof typeof kindsOf];
          expect(age).toBeLessThanOrEqual(maxDays);
          for (const kind of kinds) {
            for (const tenantId of [...TENANTS, 't-without-override']) {
              expect(age).toBeGreaterThanOrEqual(Math.min(maxDays, windowOf(tenantId, kind, base, own)));
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('puts every instant in exactly one sweep period, which it shares with the rest of that interval', () => {
    fc.assert(
      fc.property(
        now,
        fc.integer({ min: 60_000, max: 7 * DAY_MS }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (at, interval, where) => {
          const period = sweepPeriod(at, interval).getTime();
          expect(period).toBeLessThanOrEqual(at.getTime());
          expect(at.getTime()).toBeLessThan(period + interval);
          const sameInterval = new Date(period + Math.floor(where * (interval - 1)));
          expect(sweepPeriod(sameInterval, interval).getTime()).toBe(period);
          expect(sweepPeriod(new Date(period + interval), interval).getTime()).toBe(period + interval);
        },
      ),
      { numRuns: 300 },
    );
  });
});
