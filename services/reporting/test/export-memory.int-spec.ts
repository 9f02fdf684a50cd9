import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { REPORTING_RPC, ReportingExportPage } from '@shelfwatch/contracts';
import { DatasetSize, generateDataset, md5Uuid } from '../bench/reporting-dataset';
import { EXPORT_COLUMNS } from '../src/reports/export.query';
import { ReportingUnderTest, bootReporting } from './support/reporting.fixtures';

const HOUR_MS = 3_600_000;
/** One tenant, 120 products × 2 keywords × 30 days of hours: 172,800 rows, about 25 MB of CSV. */
const LARGE_TENANT: DatasetSize = { tenants: 1, productsPerTenant: 120, keywordsPerTenant: 20, days: 30 };
/**
 * Live memory (heap and array buffers after a full collection) the export may add, at any moment: reading the
 * whole range at once holds 83 MB of rows here. Chunked, 1.3 MB stays live between chunks and samples taken
 * while a chunk is read (with everything else this process runs: consumers, relay, NATS) peaked at 2-10 MB.
 */
const LIVE_BOUND_BYTES = 16 * 1024 * 1024;

/** Live bytes of this process: heap and array buffers right after a full collection. */
function liveBytes(gc: () => void): number {
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

describe('reporting CSV export of a large tenant', () => {
  let sut: ReportingUnderTest;
  const end = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
  const tenantId = md5Uuid('t1');

  beforeAll(async () => {
    sut = await bootReporting();
    await generateDataset(sut.booted.environment.db.adminUrl, LARGE_TENANT, end);
  });

  afterAll(async () => {
    await sut?.booted.stop();
  });

  it('holds about one chunk at a time (service and reader in this process) and exports every row once, in order', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const range = { tenantId, from: new Date(end.getTime() - 31 * 24 * HOUR_MS).toISOString(), to: end.toISOString() };
    const chunk = (cursor?: string) =>
      sut.rpc.request<ReportingExportPage>(REPORTING_RPC.exportPage, { ...range, cursor }, 30_000);
    let bytes = 0;
    let rows = 0;
    let previousKey = '';
    let ordered = true;
    const read = (page: ReportingExportPage): string | undefined => {
      bytes += Buffer.byteLength(page.csv);
      const lines = page.csv.split('\n').filter((line) => line !== '' && !line.startsWith('product_id,'));
      for (const line of lines) {
        const cells = line.split(',');
        const key = cells.slice(0, 3).join(',');
        ordered &&= cells.length === EXPORT_COLUMNS.length && key > previousKey;
        previousKey = key;
      }
      rows += lines.length;
      expect(lines).toHaveLength(page.rows);
      return page.nextCursor ?? undefined;
    };
    // The first chunk warms the path up (code compiled, connections and caches made) before the baseline.
    let cursor = read(await chunk());
    const base = liveBytes(gc);
    let peak = 0;
    // Collections at any moment, also while the service reads and formats a chunk.
    const sampler = setInterval(() => {
      peak = Math.max(peak, liveBytes(gc) - base);
    }, 500);
    try {
      while (cursor !== undefined) {
        cursor = read(await chunk(cursor));
        expect(peak).toBeLessThan(LIVE_BOUND_BYTES);
      }
    } finally {
      clearInterval(sampler);
    }
    const [stored] = await sut
      .em()
      .execute<{ n: string }[]>('select count(*) as n from reporting.rank_hourly where tenant_id = ?', [tenantId]);
    expect(rows).toBe(Number(stored?.n));
    expect(ordered).toBe(true);
    expect(bytes).toBeGreaterThan(LIVE_BOUND_BYTES);
    expect(peak).toBeLessThan(LIVE_BOUND_BYTES);
  }, 300_000);
});
