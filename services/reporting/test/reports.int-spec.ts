import { randomUUID } from 'node:crypto';
import {
  REPORTING_RPC,
  ReportingBrandsView,
  ReportingDashboardView,
  ReportingExportPage,
  ReportingPriceHistoryView,
  ReportingRankHistoryView,
  buildEvent,
} from '@shelfwatch/contracts';
import { RpcRemoteError } from '@shelfwatch/messaging';
import { ServiceUnderTest, bootService } from '../../../libs/platform/test/service-harness';
import { ReportingAppModule } from '../src/app.module';
import { EXPORT_HEADER } from '../src/reports/export.query';
import { ReportsService } from '../src/reports/reports.service';
import { generateHistory, tenantOf } from './support/history.generator';
import { ReadModelDump } from './support/history.oracle';
import { dumpReadModels } from './support/read-model-dump';
import { ReportingUnderTest, bootReporting, drained, publish, publishAll } from './support/reporting.fixtures';

describe('reporting report queries', () => {
  let sut: ReportingUnderTest;
  let replica: ServiceUnderTest;
  const now = new Date();
  const events = generateHistory(97, now);
  const tenantId = tenantOf(events);
  let dump: ReadModelDump;
  const from = new Date(now.getTime() - 4 * 86_400_000).toISOString();
  const to = now.toISOString();

  beforeAll(async () => {
    sut = await bootReporting();
    replica = await bootService('reporting', sut.booted.config, (config, logger) =>
      ReportingAppModule.forConfig(config, logger),
    );
    await publishAll(sut, events);
    await drained(sut);
    dump = await dumpReadModels(sut.em(), tenantId);
  });

  afterAll(async () => {
    await replica?.close();
    await sut?.booted.stop();
  });

  const request = <T>(subject: string, payload: Record<string, unknown>): Promise<T> =>
    sut.rpc.request<T>(subject, { tenantId, ...payload });

  function busiest(): { productId: string; keywordId: string } {
    const counts = new Map<string, number>();
    for (const row of dump.hourly) {
      counts.set(`${row.productId}|${row.keywordId}`, (counts.get(`${row.productId}|${row.keywordId}`) ?? 0) + 1);
    }
    const [key = ''] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
    const [productId = '', keywordId = ''] = key.split('|');
    return { productId, keywordId };
  }

  it('answers rank history per bucket exactly as the buckets hold it', async () => {
    const { productId, keywordId } = busiest();
    for (const bucket of ['hour', 'day'] as const) {
      const view = await request<ReportingRankHistoryView>(REPORTING_RPC.rankHistory, { productId, from, to, bucket });
      const rows = (bucket === 'hour' ? dump.hourly : dump.daily).filter((r) => r.productId === productId);
      const series = view.series.find((s) => s.keywordId === keywordId);
      const expected = rows.filter((r) => r.keywordId === keywordId);
      expect(series?.points).toEqual(
        expected.map((r) => ({
          bucketStart: r.bucket,
          rankMin: r.rankMin,
          rankMax: r.rankMax,
          rankLast: r.rankLast,
          samples: r.samples,
          orderFidelity: 'exact', // every generated crawl is Naver's
        })),
      );
    }
    const price = await request<ReportingPriceHistoryView>(REPORTING_RPC.priceHistory, {
      productId,
      keywordId,
      from,
      to,
      bucket: 'day',
    });
    const days = dump.daily.filter((r) => r.productId === productId && r.keywordId === keywordId);
    expect(price.points).toEqual(
      days.map((r) => ({
        bucketStart: r.bucket,
        myPrice: r.myPrice,
        priceSource: r.priceSource,
        observedMall: r.observedMall,
        lowestCompetitorPrice: r.competitorMin,
        currency: 'KRW', // a generated history is Naver's, old events (no currency) included
      })),
    );
    // The history mixes observed and catalogue prices, old events (no source: catalogue) included.
    expect(new Set(dump.daily.map((r) => r.priceSource))).toEqual(new Set(['observed', 'catalog']));
  });

  it('answers brand share of the top N per day and over the range, shares summing to one', async () => {
    const { keywordId } = busiest();
    const view = await request<ReportingBrandsView>(REPORTING_RPC.brands, { keywordId, from, to, topN: 10 });
    const slots = dump.brandSlots.filter((s) => s.keywordId === keywordId && s.rank <= 10);
    const total = slots.reduce((sum, s) => sum + s.slots, 0);
    expect(view.brands.reduce((sum, b) => sum + b.slots, 0)).toBe(total);
    expect(view.brands.reduce((sum, b) => sum + b.share, 0)).toBeCloseTo(1, 9);
    const acme = slots.filter((s) => s.brand === 'Acme').reduce((sum, s) => sum + s.slots, 0);
    expect(view.brands.find((b) => b.brand === 'Acme')?.slots ?? 0).toBe(acme);
    expect(view.days.map((d) => d.day)).toEqual([...new Set(slots.map((s) => s.day))].sort());
  });

  it('streams the CSV export in bounded chunks that together hold every bucket once', async () => {
    const lines: string[] = [];
    let cursor: string | undefined;
    let chunks = 0;
    do {
      const page: ReportingExportPage = await request(REPORTING_RPC.exportPage, { from, to, cursor, maxBytes: 4_096 });
      expect(Buffer.byteLength(page.csv)).toBeLessThanOrEqual(4_096);
      lines.push(...page.csv.split('\n').filter((line) => line !== ''));
      cursor = page.nextCursor ?? undefined;
      chunks += 1;
    } while (cursor !== undefined);
    expect(lines[0]).toBe(
      'product_id,keyword_id,bucket_start,rank_min,rank_max,rank_last,samples,my_price,lowest_competitor_price,price_source,' +
        'currency,seller_id,availability,review_count,review_rating,placement,condition,order_fidelity',
    );
    // Issue 16's columns come after price_source: a generated (Naver, pre-issue-16) history is KRW, exact, unlisted.
    const issue16Tail = ',KRW,,,,,,,exact';
    expect(lines.slice(1).every((line) => line.endsWith(issue16Tail))).toBe(true);
    const sources = lines.map((line) => line.slice(0, -issue16Tail.length));
    expect(
      sources.some((line) => line.endsWith(',observed')) && sources.some((line) => line.endsWith(',catalog')),
    ).toBe(true);
    expect(lines.slice(1)).toEqual(
      dump.hourly.map((r) =>
        [r.productId, r.keywordId, r.bucket, r.rankMin, r.rankMax, r.rankLast, r.samples, r.myPrice.toFixed(2)]
          .concat(r.competitorMin === null ? [''] : [r.competitorMin.toFixed(2)], [r.priceSource])
          .concat(['KRW', '', '', '', '', '', '', 'exact'])
          .map((cell) => (cell === null ? '' : String(cell)))
          .join(','),
      ),
    );
    expect(chunks).toBeGreaterThan(1);
  });

  it("exports the marketplace's own words as RFC 4180 fields, cutting chunks by bytes and a long line whole", async () => {
    const tenant = randomUUID();
    const [productId, keywordId] = [randomUUID(), randomUUID()];
    const hour = (h: number): string => new Date(Date.UTC(2026, 10, 2, h)).toISOString();
    const awkward = { seller: 'say "hi", then', availability: 'in\rstock', condition: 'line\nbreak' };
    const long = 'é'.repeat(3_000); // 6,000 bytes in UTF-8: more than a 4,096-byte chunk on its own
    const insert = `insert into reporting.rank_hourly (tenant_id, product_id, keyword_id, bucket, last_at, samples,
        rank_min, rank_max, rank_last, my_price, competitor_min, price_source, currency, order_fidelity, seller_id,
        availability, review_count, review_rating, placement, condition)
      values (?, ?, ?, ?, ?, 2, ?, 5, 5, 29.99, ?, 'observed', 'USD', 'approximate', ?, ?, ?, ?, 'organic', ?)`;
    const rows = [
      [hour(0), null, null, awkward.seller, awkward.availability, 3, 4.5, awkward.condition],
      [hour(1), 4, 27.5, null, null, null, null, long],
      [hour(2), 5, null, 'plain', null, null, null, null],
    ] as const;
    for (const [bucket, rankMin, competitor, ...listing] of rows) {
      await sut.em().execute(insert, [tenant, productId, keywordId, bucket, bucket, rankMin, competitor, ...listing]);
    }
    const chunks: string[] = [];
    let cursor: string | undefined;
    do {
      const page: ReportingExportPage = await sut.rpc.request(REPORTING_RPC.exportPage, {
        tenantId: tenant,
        from: hour(0),
        to: hour(3),
        cursor,
        maxBytes: 4_096,
      });
      chunks.push(page.csv);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    const key = `${productId},${keywordId}`;
    expect(chunks).toEqual([
      `${EXPORT_HEADER}${key},${hour(0)},,5,5,2,29.99,,observed,USD,"say ""hi"", then","in\rstock",3,4.50,organic,` +
        '"line\nbreak",approximate\n',
      `${key},${hour(1)},4,5,5,2,29.99,27.50,observed,USD,,,,,organic,${long},approximate\n`,
      `${key},${hour(2)},5,5,5,2,29.99,,observed,USD,plain,,,,organic,,approximate\n`,
    ]);
    // Filtered by product and keyword, after a cursor: the binds of every filter line up with the statement's
    const filtered = { tenantId: tenant, productId, keywordId, from: hour(0), to: hour(3), maxBytes: 4_096 };
    const first: ReportingExportPage = await sut.rpc.request(REPORTING_RPC.exportPage, filtered);
    const rest: ReportingExportPage = await sut.rpc.request(REPORTING_RPC.exportPage, {
      ...filtered,
      cursor: first.nextCursor,
    });
    expect([first.rows, rest.rows, first.csv + rest.csv]).toEqual([1, 1, chunks.slice(0, 2).join('')]);
    const otherKeyword = await sut.rpc.request<ReportingExportPage>(REPORTING_RPC.exportPage, {
      ...filtered,
      keywordId: randomUUID(),
    });
    expect(otherKeyword).toEqual({ csv: EXPORT_HEADER, rows: 0, nextCursor: null });
  });

  it("answers not_found for another tenant's product or keyword, empty for its own without rows, invalid for a reversed range", async () => {
    const { productId } = busiest();
    const other = sut.rpc.request(REPORTING_RPC.rankHistory, { tenantId: randomUUID(), productId, from, to });
    await expect(other).rejects.toMatchObject({ code: 'not_found' });
    const otherPrices = sut.rpc.request(REPORTING_RPC.priceHistory, {
      tenantId: randomUUID(),
      productId,
      keywordId: busiest().keywordId,
      from,
      to,
    });
    await expect(otherPrices).rejects.toMatchObject({ code: 'not_found' });
    // The tenant's own product over a range with none of its rows: an empty history, not not_found.
    const yearAgo = { from: new Date(now.getTime() - 400 * 86_400_000).toISOString() };
    const before = { ...yearAgo, to: new Date(now.getTime() - 380 * 86_400_000).toISOString() };
    const emptyRanks = await request<ReportingRankHistoryView>(REPORTING_RPC.rankHistory, { productId, ...before });
    expect(emptyRanks.series).toEqual([]);
    const emptyPrices = await request<ReportingPriceHistoryView>(REPORTING_RPC.priceHistory, {
      productId,
      keywordId: busiest().keywordId,
      ...before,
    });
    expect(emptyPrices.points).toEqual([]);
    // Brand share likewise: another tenant's keyword is not found, the tenant's own over an empty range is empty.
    const { keywordId } = busiest();
    const brandsOf = { keywordId, from, to, topN: 10 };
    const otherBrands = sut.rpc.request(REPORTING_RPC.brands, { ...brandsOf, tenantId: randomUUID() });
    await expect(otherBrands).rejects.toMatchObject({ code: 'not_found' });
    const emptyBrands = await request<ReportingBrandsView>(REPORTING_RPC.brands, { ...brandsOf, ...before });
    expect([emptyBrands.brands, emptyBrands.days]).toEqual([[], []]);
    const reversed = request(REPORTING_RPC.rankHistory, { productId, from: to, to: from });
    await expect(reversed).rejects.toBeInstanceOf(RpcRemoteError);
    await expect(reversed).rejects.toMatchObject({ code: 'invalid' });
  });

  it('serves the dashboard from each replica cache until an event changes it, on every replica', async () => {
    const replicas = [sut.booted.sut.app.get(ReportsService), replica.app.get(ReportsService)];
    const first = await Promise.all(replicas.map(async (r) => (await r.dashboard(tenantId)).value()));
    const hitsBefore = replicas.map((r) => r.dashboards.hitRatio);
    const again = await Promise.all(replicas.map(async (r) => (await r.dashboard(tenantId)).value()));
    expect(again).toEqual(first);
    replicas.forEach((r, i) => expect(r.dashboards.hitRatio).toBeGreaterThan(hitsBefore[i] ?? 1));

    const origin = { tenantId, correlationId: randomUUID(), causationId: null };
    const data = {
      alertId: randomUUID(),
      ruleId: randomUUID(),
      alertType: 'new_competitor' as const,
      productId: randomUUID(),
      keywordId: randomUUID(),
      crawlId: randomUUID(),
      message: 'new competitor',
      details: {},
    };
    await publish(sut, buildEvent('alert.raised', data, origin, { id: randomUUID(), occurredAt: new Date() }));
    await drained(sut);

    const after: ReportingDashboardView[] = await Promise.all(
      replicas.map(async (r) => (await r.dashboard(tenantId)).value()),
    );
    for (const [index, view] of after.entries()) {
      expect(view.openAlerts.new_competitor).toBe((first[index]?.openAlerts.new_competitor ?? 0) + 1);
    }
    const metrics = await sut.booted.sut.get('/metrics');
    expect(metrics.body).toMatch(/shelfwatch_reporting_cache_requests_total\{cache="dashboard",outcome="hit"\} [1-9]/);
    expect(metrics.body).toMatch(/shelfwatch_reporting_cache_hit_ratio\{cache="dashboard"\} 0\.\d+/);
  });
});
