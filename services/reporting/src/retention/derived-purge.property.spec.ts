import { DataKind } from '@shelfwatch/contracts';
import { PurgeRequest } from '@shelfwatch/persistence';
import fc from 'fast-check';
import { DERIVED, bucketSlackMs, derivedPurges } from './derived-purge';

const TENANTS = ['t-1', 't-2', 't-3'];
const KINDS = Object.keys(DERIVED) as DataKind[];
const DAY_MS = 86_400_000;

const instant = fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') });
const request: fc.Arbitrary<PurgeRequest> = fc
  .record({
    cutoff: instant,
    tenants: fc.uniqueArray(fc.record({ tenantId: fc.constantFrom(...TENANTS), cutoff: instant }), {
      selector: (tenant) => tenant.tenantId,
      maxLength: TENANTS.length,
    }),
  })
  .map(({ cutoff, tenants }) => ({
    cutoff: new Date(cutoff).toISOString(),
    tenantCutoffs: tenants.map((tenant) => ({
      tenantId: tenant.tenantId,
      cutoff: new Date(tenant.cutoff).toISOString(),
    })),
    batchSize: 100,
    pauseMs: 0,
  }));
/** A read model derived from some data kind, by its place in that kind's list. */
const derived = fc.constantFrom(...KINDS.flatMap((kind) => DERIVED[kind].map((_, index) => ({ kind, index }))));
/** Where a bucket starts relative to the tenant's cut-off: either side within a few days, or where it ends at it. */
const offset = fc.oneof(
  fc.record({ from: fc.integer({ min: -5 * DAY_MS, max: 5 * DAY_MS }), atEnd: fc.constant(false) }),
  fc.record({ from: fc.integer({ min: -2, max: 2 }), atEnd: fc.constant(true) }),
);

/** The cut-off a request applies to a tenant's rows: its own, else the default. */
function cutoffOf(purge: PurgeRequest, tenantId: string): number {
  return Date.parse(purge.tenantCutoffs.find((tenant) => tenant.tenantId === tenantId)?.cutoff ?? purge.cutoff);
}

describe('purging read models derived from a data kind (properties)', () => {
  it('deletes a bucket row exactly when its whole bucket ended before the tenant’s cut-off, never one inside the window', () => {
    fc.assert(
      fc.property(
        request,
        derived,
        fc.constantFrom(...TENANTS, 't-unlisted'),
        offset,
        (purge, { kind, index }, tenantId, { from, atEnd }) => {
          const table = derivedPurges(kind, purge)[index];
          const bucketMs = DERIVED[kind][index]?.bucketMs ?? Number.NaN;
          expect(table?.target).toBe(DERIVED[kind][index]?.target);
          const cutoff = cutoffOf(purge, tenantId);
          const bucketStart = cutoff + from - (atEnd ? bucketMs : 0);
          // A row goes when its time column is strictly older than the cut-off the owner applies to the table.
          const deleted = table !== undefined && bucketStart < cutoffOf(table.request, tenantId);
          // Exactly the buckets that ended before the cut-off (one ending at it waits for the next sweep): never
          // one holding an instant inside the window, and none kept for longer than that.
          expect(deleted).toBe(bucketStart + bucketMs < cutoff);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives each data kind a slack at least as long as the bucket of every read model derived from it', () => {
    for (const kind of KINDS) {
      for (const { bucketMs } of DERIVED[kind]) {
        expect(bucketSlackMs(kind)).toBeGreaterThanOrEqual(bucketMs);
      }
    }
  });
});
