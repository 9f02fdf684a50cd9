import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Page } from '@shelfwatch/contracts';
import { eventually } from '@shelfwatch/testing';
import { EXTRA_SERVICES } from './extra-services';
import { ANY_UNDERCUT_RULES, Api, Platform, crawlAndWait, startPlatform, trackProductAt } from './gateway.e2e-harness';

type PageBody<T> = Page<T>;

/** Alerts, webhooks, reports and retention through the gateway, against all the services. */
describe('gateway → alerting, reporting and retention routes', () => {
  let platform: Platform;
  let api: Api;
  let key: string;
  let tracked: { productId: string; keywordId: string };
  let receiver: Server;
  let webhookId: string;
  const received: string[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      request.on('data', (chunk: Buffer) => received.push(chunk.toString('utf8')));
      request.on('end', () => response.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    platform = await startPlatform(EXTRA_SERVICES);
    api = platform.api;
    key = (await api.tenant('acme')).apiKey;
    const rules = await api.call('PUT', '/v1/alert-rules', {
      key,
      body: { defaults: ANY_UNDERCUT_RULES, overrides: [] },
    });
    expect(rules.status).toBe(200);
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const webhook = await api.call<{ id: string; secret?: string }>('POST', '/v1/webhooks', {
      key,
      body: { url, events: ['alert.raised'] },
    });
    expect(webhook).toMatchObject({ status: 201, body: { url, secret: expect.any(String) } });
    webhookId = webhook.body.id;
    // Priced above every competitor: the crawl raises a price undercut.
    tracked = await trackProductAt(api, key, 'wireless earbuds', 3);
    await crawlAndWait(api, key, tracked.keywordId);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('reads the alert rules it replaced', async () => {
    const rules = await api.call('GET', '/v1/alert-rules', { key });
    expect(rules).toMatchObject({ status: 200, body: { defaults: ANY_UNDERCUT_RULES, overrides: [] } });
  });

  it('lists the raised alert, reads it and acknowledges it', async () => {
    const listed = await eventually(async () => {
      const got = await api.call<PageBody<{ id: string; type: string; status: string }>>(
        'GET',
        '/v1/alerts?status=raised&type=price_undercut',
        { key },
      );
      expect(got.body.total).toBeGreaterThanOrEqual(1);
      return got;
    }, 20_000);
    const alertId = listed.body.items[0]?.id ?? '';
    expect((await api.call('GET', `/v1/alerts/${alertId}`, { key })).body).toMatchObject({
      id: alertId,
      productId: tracked.productId,
      keywordId: tracked.keywordId,
    });
    const acked = await api.call('POST', `/v1/alerts/${alertId}/ack`, { key });
    expect(acked).toMatchObject({ status: 200, body: { id: alertId, status: 'acknowledged' } });
    expect((await api.call('GET', '/v1/alerts?status=acknowledged', { key })).body).toMatchObject({ total: 1 });
  }, 30_000);

  it('lists the webhook, shows its delivery log with the delivered alert, and deletes it', async () => {
    expect((await api.call('GET', '/v1/webhooks', { key })).body).toMatchObject({
      total: 1,
      items: [{ id: webhookId }],
    });
    const deliveries = await eventually(async () => {
      const got = await api.call<PageBody<{ status: string; eventTypes: string[] }>>(
        'GET',
        `/v1/webhooks/${webhookId}/deliveries`,
        { key },
      );
      expect(got.body.items[0]?.status).toBe('succeeded');
      return got;
    }, 20_000);
    expect(deliveries.body.items[0]?.eventTypes).toContain('alert.raised');
    expect(received.join('')).toContain('price_undercut');
    expect((await api.call('DELETE', `/v1/webhooks/${webhookId}`, { key })).status).toBe(204);
    expect((await api.call('GET', '/v1/webhooks', { key })).body).toMatchObject({ total: 0 });
  }, 30_000);

  it('answers the dashboard, rank and price history, brand share and the CSV export', async () => {
    const window = 'from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z';
    const history = await eventually(async () => {
      const got = await api.call<{ series: { keywordId: string; points: unknown[] }[] }>(
        'GET',
        `/v1/products/${tracked.productId}/rank-history?bucket=day&${window}`,
        { key },
      );
      expect(got.status).toBe(200);
      expect(got.body.series[0]?.points.length).toBeGreaterThan(0);
      return got;
    }, 20_000);
    expect(history.body.series[0]?.keywordId).toBe(tracked.keywordId);
    const dashboard = await api.call('GET', '/v1/reports/dashboard', { key });
    expect(dashboard).toMatchObject({ status: 200, body: { trackedProducts: 1 } });
    const prices = await api.call(
      'GET',
      `/v1/reports/price-history?productId=${tracked.productId}&keywordId=${tracked.keywordId}&${window}`,
      { key },
    );
    expect(prices).toMatchObject({ status: 200, body: { productId: tracked.productId, points: expect.any(Array) } });
    const brands = await api.call('GET', `/v1/reports/brands?keywordId=${tracked.keywordId}&topN=5`, { key });
    expect(brands).toMatchObject({ status: 200, body: { keywordId: tracked.keywordId, topN: 5 } });
    const csv = await api.call('GET', `/v1/reports/export.csv?bucket=day&${window}`, { key });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\n')[0]).toBe(
      'product_id,keyword_id,bucket_start,rank_min,rank_max,rank_last,samples,my_price,lowest_competitor_price,price_source,' +
        'currency,seller_id,availability,review_count,review_rating,placement,condition,order_fidelity',
    );
  }, 30_000);

  it('reads and changes the retention policy, and reads the latest sweep', async () => {
    const policy = await api.call<{ policies: { dataKind: string; days: number; source: string }[] }>(
      'GET',
      '/v1/retention-policy',
      { key },
    );
    expect(policy.status).toBe(200);
    const changed = await api.call<{ policies: { dataKind: string; days: number; source: string }[] }>(
      'PUT',
      '/v1/retention-policy',
      { key, body: { policies: [{ dataKind: 'alerts', days: 30 }] } },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.policies.find((p) => p.dataKind === 'alerts')).toEqual({
      dataKind: 'alerts',
      days: 30,
      source: 'tenant',
    });
    const sweep = await api.call<{ type?: string }>('GET', '/v1/retention/sweeps/latest', { key });
    // Before the first sweep the retention service answers not_found.
    expect([200, 404]).toContain(sweep.status);
    if (sweep.status === 404) {
      expect(sweep.body.type).toBe('https://shelfwatch.dev/problems/not-found');
    }
  });
});
