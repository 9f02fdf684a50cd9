import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { HEALTH_RPC } from '@shelfwatch/contracts';
import { rpcSubject } from '@shelfwatch/messaging';
import { eventually } from '@shelfwatch/testing';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { GatewayAppModule } from '../src/app.module';
import { GatewayConfig, loadGatewayConfig } from '../src/gateway.config';
import { gatewayPersistence } from '../src/gateway.persistence';
import { ADMIN_KEY, Api } from './gateway.e2e-harness';

const problemType = (slug: string): string => `https://shelfwatch.dev/problems/${slug}`;

/** The gateway alone: rate limits, CORS, readiness and answers when the services behind it are down or slow. */
describe('gateway edge', () => {
  let booted: BootedService<GatewayConfig>;
  let api: Api;
  let key: string;
  /** Tenants made up front: the admin key is rate limited too (5 at once here). */
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    booted = await bootInTestEnvironment(
      gatewayPersistence,
      loadGatewayConfig,
      (config, logger) => GatewayAppModule.forConfig(config, logger),
      () => ({
        ADMIN_API_KEY: ADMIN_KEY,
        RATE_LIMIT_BURST: '5',
        RATE_LIMIT_PER_MINUTE: '60',
        DOWNSTREAM_TIMEOUT_MS: '300',
        CORS_ORIGINS: 'https://app.example.com',
      }),
    );
    api = new Api(booted.sut);
    for (const name of ['acme', 'globex', 'initech', 'umbrella', 'hooli']) {
      keys[name] = (await api.tenant(name)).apiKey;
    }
    key = keys.acme ?? '';
  });

  afterAll(async () => {
    await booted?.stop();
  });

  it('answers a burst past the limit with 429s carrying Retry-After, and leaves other tenants alone', async () => {
    const other = keys.globex ?? '';
    const burst = await Promise.all(Array.from({ length: 12 }, () => api.call('GET', '/v1/tenant', { key })));
    const statuses = burst.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(5);
    const rejected = burst.filter((answer) => answer.status === 429);
    expect(rejected.length).toBeGreaterThanOrEqual(7);
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    for (const answer of rejected) {
      expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(answer.headers.ratelimit).toMatch(/^"tenant";r=0;t=\d+$/);
      expect(answer.body).toMatchObject({ type: problemType('rate-limited'), status: 429 });
    }
    const unaffected = await api.call('GET', '/v1/tenant', { key: other });
    expect(unaffected.status).toBe(200);
    expect(unaffected.headers).toMatchObject({ 'ratelimit-policy': '"tenant";q=5;w=5', ratelimit: '"tenant";r=4;t=1' });
  });

  // "At once" without a stopwatch: a request that waited for DOWNSTREAM_TIMEOUT_MS is answered 504, not 503.
  it('answers 503 at once when no instance of a service is there', async () => {
    const fresh = keys.initech ?? '';
    const answer = await api.call('GET', '/v1/products', { key: fresh });
    expect(answer).toMatchObject({
      status: 503,
      body: { type: problemType('service-unavailable'), detail: expect.stringMatching(/^no instance serves /) },
    });
  });

  it('answers 504 after DOWNSTREAM_TIMEOUT_MS when the service does not answer in time', async () => {
    const fresh = keys.umbrella ?? '';
    const { nc, topology } = booted.environment.nats;
    // The service answers, but only at ten times the timeout: a gateway waiting longer would pass the answer on.
    const answers: NodeJS.Timeout[] = [];
    const late = nc.subscribe(rpcSubject(topology, 'crawler.crawl.list'), {
      callback: (_error, msg) => {
        answers.push(setTimeout(() => msg.respond(JSON.stringify({ ok: true, data: { items: [] } })), 3_000));
      },
    });
    try {
      const started = Date.now();
      const answer = await api.call('GET', '/v1/crawls', { key: fresh });
      expect(answer).toMatchObject({ status: 504, body: { type: problemType('service-timeout') } });
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    } finally {
      answers.forEach(clearTimeout);
      late.unsubscribe();
    }
  });

  it('serves the committed AsyncAPI document of the events at /docs/asyncapi.json without a key', async () => {
    const answer = await booted.sut.get('/docs/asyncapi.json');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toContain('application/json');
    expect(JSON.parse(answer.body)).toEqual(JSON.parse(readFileSync(resolve('docs/asyncapi.json'), 'utf8')));
  });

  it("serves the platform's verdict at /health without a key, and 503 when the health service cannot be asked", async () => {
    const document = JSON.parse((await booted.sut.get('/docs-json')).body) as { paths: Record<string, object> };
    expect(Object.keys(document.paths['/health'] ?? {})).toEqual(['get']);
    const unknown = await booted.sut.get('/health');
    expect(unknown.status).toBe(503);
    expect(JSON.parse(unknown.body)).toMatchObject({ type: problemType('health-unknown') });
    const { nc, topology } = booted.environment.nats;
    const summary = { status: 'degraded', timestamp: '2026-11-22T10:00:00.000Z' };
    const responder = nc.subscribe(rpcSubject(topology, HEALTH_RPC.summary), {
      callback: (_error, msg) => {
        msg.respond(JSON.stringify({ ok: true, data: summary }));
      },
    });
    try {
      await eventually(async () => {
        const answer = await booted.sut.get('/health');
        expect({ status: answer.status, body: JSON.parse(answer.body) as unknown }).toEqual({
          status: 200,
          body: summary,
        });
      });
    } finally {
      responder.unsubscribe();
    }
  });

  it('frees an Idempotency-Key whose request failed on our side, so it can be retried', async () => {
    const fresh = keys.hooli ?? '';
    const answer = await api.call('POST', '/v1/exclusions', {
      key: fresh,
      body: { kind: 'mall', value: 'm' },
      headers: { 'idempotency-key': 'retry-me' },
    });
    expect(answer.status).toBe(503);
    const orm = booted.sut.app.get(MikroORM);
    const rows = await orm.em.fork().execute("select 1 from gateway.idempotency_keys where key = 'retry-me'");
    expect(rows).toEqual([]);
  });

  it('is ready with NATS and its database, whatever the services behind it', async () => {
    expect((await booted.sut.get('/health/ready')).status).toBe(200);
  });

  it('allows only the configured browser origins', async () => {
    const preflight = (origin: string) =>
      booted.sut.app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'OPTIONS',
          url: '/v1/products',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization',
          },
        });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(String(allowed.headers['access-control-allow-headers'])).toContain('Idempotency-Key');
    const refused = await preflight('https://evil.example.com');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends security headers on every answer: API, refusals, unknown routes, Nest controllers', async () => {
    const answers = [
      await api.call('GET', '/v1/tenant', { key: keys.globex }),
      await api.call('GET', '/v1/tenant'),
      await api.call('GET', '/v1/no-such-route', { key: keys.globex }),
      await api.call('GET', '/health/live'),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 401, 404, 200]);
    for (const answer of answers) {
      expect(answer.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringContaining('max-age='),
        'content-security-policy': expect.stringContaining("default-src 'self'"),
      });
    }
  });
});
