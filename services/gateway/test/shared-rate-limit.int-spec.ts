import { Redis } from 'ioredis';
import { register } from 'prom-client';
import { eventually } from '@shelfwatch/testing';
import {
  BootedService,
  ServiceUnderTest,
  bootInTestEnvironment,
  bootService,
} from '../../../libs/platform/test/service-harness';
import { GatewayAppModule } from '../src/app.module';
import { GatewayConfig, loadGatewayConfig } from '../src/gateway.config';
import { gatewayPersistence } from '../src/gateway.persistence';
import { CHANGES_TTL_MS, RedisBucketStore } from '../src/limits/redis-bucket.store';
import { RATE_LIMIT_METRICS } from '../src/limits/shared-rate-limiter';
import { bucketPrefix } from '../src/limits/tenant-limits';
import { ADMIN_KEY, Api, ApiResponse } from './gateway.e2e-harness';
import { TEST_REDIS_URL, dropRateLimitKeys } from './rate-limit-keys';
import { RedisProxy } from './redis-proxy';

const REDIS_URL = TEST_REDIS_URL;

const makeModule = (config: GatewayConfig, logger: Parameters<typeof GatewayAppModule.forConfig>[1]) =>
  GatewayAppModule.forConfig(config, logger);

/** Whether the tenants' limit is taken by each replica alone (1) because Redis is away. */
async function fallbackActive(): Promise<number> {
  const metric = await register.getSingleMetric(RATE_LIMIT_METRICS.fallbackActive)?.get();
  return metric?.values.find((value) => value.labels.limit === 'tenant')?.value ?? -1;
}

/** Decisions the replicas of this process took on their own, without the shared store. */
async function fallbackDecisions(): Promise<number> {
  const metric = await register.getSingleMetric(RATE_LIMIT_METRICS.fallbackDecisions)?.get();
  return metric?.values.reduce((sum, { value }) => sum + value, 0) ?? 0;
}

const policyOf = (answer: ApiResponse): string => String(answer.headers['ratelimit-policy']);

describe('rate limit shared through Redis', () => {
  describe('the store', () => {
    const namespace = `changes-${process.pid}-${Date.now()}`;
    let redis: Redis;
    let store: RedisBucketStore;

    beforeAll(async () => {
      redis = new Redis(REDIS_URL, { lazyConnect: true });
      await redis.connect();
      store = new RedisBucketStore(redis, bucketPrefix(namespace));
    });

    afterAll(async () => {
      await dropRateLimitKeys(namespace);
      redis.disconnect();
    });

    it('gives a token back to a bucket, never beyond its burst, and nothing to a bucket that expired full', async () => {
      const policy = { burst: 2, perMinute: 1 };
      const allowed = async (): Promise<boolean> => (await store.take('auth:203.0.113.1', policy)).allowed;
      expect([await allowed(), await allowed(), await allowed()]).toEqual([true, true, false]);
      await store.refund('auth:203.0.113.1', policy);
      expect([await allowed(), await allowed()]).toEqual([true, false]);
      await store.refund('auth:203.0.113.1', policy);
      await store.refund('auth:203.0.113.1', policy);
      await store.refund('auth:203.0.113.1', policy);
      expect([await allowed(), await allowed(), await allowed()]).toEqual([true, true, false]);
      await store.refund('auth:203.0.113.2', policy);
      expect(await redis.exists(`${bucketPrefix(namespace)}auth:203.0.113.2`)).toBe(0);
    });

    it('reads the owner’s and the operator’s changes with each token, and counts them for a day', async () => {
      const policy = { burst: 100, perMinute: 600 };
      expect(await store.take('tenant:a', policy)).toMatchObject({ allowed: true, changes: '0.0' });
      await store.noteChange('tenant:a');
      await store.noteChange('tenant:a');
      expect((await store.take('tenant:a', policy)).changes).toBe('2.0');
      expect((await store.take('tenant:b', policy)).changes).toBe('0.0');
      await store.noteChange('admin');
      expect((await store.take('tenant:a', policy)).changes).toBe('2.1');
      expect((await store.take('tenant:b', policy)).changes).toBe('0.1');
      const ttl = await redis.pttl(`${bucketPrefix(namespace)}changes:tenant:a`);
      expect(ttl).toBeGreaterThan(CHANGES_TTL_MS - 60_000);
      expect(ttl).toBeLessThanOrEqual(CHANGES_TTL_MS);
      // A server that lost its scripts (restart, SCRIPT FLUSH) is sent each script again, once: then by its SHA1.
      await redis.script('FLUSH');
      expect((await store.take('tenant:a', policy)).changes).toBe('2.1');
      await store.noteChange('admin');
      // Counted on this store's own calls (commandstats would count every client of a shared server).
      const sent = { eval: 0, evalsha: 0 };
      const counting = new RedisBucketStore(
        {
          evalsha: (...args) => {
            sent.evalsha += 1;
            return redis.evalsha(...args);
          },
          eval: (...args) => {
            sent.eval += 1;
            return redis.eval(...args);
          },
          ping: () => redis.ping(),
        },
        bucketPrefix(namespace),
      );
      await counting.noteChange('admin');
      await counting.take('tenant:b', policy);
      expect(sent).toEqual({ eval: 0, evalsha: 2 });
      expect((await store.take('tenant:b', policy)).changes).toBe('0.3');
    });
  });

  describe('two gateway replicas', () => {
    const BURST = 10;
    const PER_MINUTE = 6;
    /** Unauthenticated requests one client address may make at once (refilled one a minute). */
    const AUTH_BURST = 6;
    let first: BootedService<GatewayConfig>;
    let second: ServiceUnderTest;

    beforeAll(async () => {
      first = await bootInTestEnvironment(gatewayPersistence, loadGatewayConfig, makeModule, () => ({
        ADMIN_API_KEY: ADMIN_KEY,
        RATE_LIMIT_BURST: String(BURST),
        RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
        AUTH_FAILURE_BURST: String(AUTH_BURST),
        AUTH_FAILURES_PER_MINUTE: '1',
        RATE_LIMIT_REDIS_URL: REDIS_URL,
        // What is tested is the sharing: a Redis answer slowed past the default 100 ms by a busy machine would
        // switch a replica to its own fallback bucket (tested below) and let more through than the shared one.
        RATE_LIMIT_REDIS_TIMEOUT_MS: '3000',
      }));
      second = await bootService('gateway', first.config, makeModule);
    });

    afterAll(async () => {
      await second?.close();
      if (first) {
        await dropRateLimitKeys(first.config.namespace);
        await first.stop();
      }
    });

    it('hold one tenant to its limit together, whichever of its keys and replicas a request uses', async () => {
      const replicas = [new Api(first.sut), new Api(second)];
      const tenant = await replicas[0].tenant('acme');
      const alone = await fallbackDecisions();
      const started = performance.now();
      const issued = await replicas[1].call<{ apiKey: string }>('POST', '/v1/api-keys', {
        key: tenant.apiKey,
        body: { label: 'second' },
      });
      expect(issued.status).toBe(201);
      const keys = [tenant.apiKey, issued.body.apiKey];
      const answers: { replica: number; answer: ApiResponse }[] = [];
      for (let round = 0; round < 5; round += 1) {
        const batch = await Promise.all(
          Array.from({ length: 6 }, async (_, i) => {
            const replica = i % 2;
            const answer = await replicas[replica].call('GET', '/v1/tenant', { key: keys[Math.floor(i / 2) % 2] });
            return { replica, answer };
          }),
        );
        answers.push(...batch);
      }
      const elapsedSeconds = (performance.now() - started) / 1_000;
      // The limiter's own formula: the bucket's burst, plus what it refilled while the requests ran.
      const mostAllowed = Math.floor(BURST + (PER_MINUTE / 60) * elapsedSeconds);
      const allowed = 1 + answers.filter(({ answer }) => answer.status === 200).length;
      expect(answers.every(({ answer }) => [200, 429].includes(answer.status))).toBe(true);
      // Every decision came from the shared bucket (a replica on its own bucket would let more through).
      expect(await fallbackDecisions()).toBe(alone);
      expect(allowed).toBeGreaterThanOrEqual(BURST);
      expect(allowed).toBeLessThanOrEqual(mostAllowed);
      for (const replica of [0, 1]) {
        const refused = answers.filter((entry) => entry.replica === replica && entry.answer.status === 429);
        expect(refused.length).toBeGreaterThan(0);
        for (const { answer } of refused) {
          expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
          expect(answer.headers['content-type']).toContain('application/problem+json');
          expect(answer.body).toMatchObject({ status: 429, type: 'https://shelfwatch.dev/problems/rate-limited' });
          expect(policyOf(answer)).toBe(`"tenant";q=${BURST};w=${(BURST * 60) / PER_MINUTE}`);
          expect(answer.headers.ratelimit).toMatch(/^"tenant";r=0;t=\d+$/);
        }
      }
    });

    it('hold one client address to its throttle of unauthenticated requests together', async () => {
      const replicas = [new Api(first.sut), new Api(second)];
      const alone = await fallbackDecisions();
      const address = '203.0.113.9';
      const answers: ApiResponse[] = [];
      for (let round = 0; round < 4; round += 1) {
        // Guessed keys and no key at all, from one address, to both replicas alternately.
        const batch = await Promise.all(
          Array.from({ length: 4 }, (_, i) =>
            replicas[i % 2].call('GET', '/v1/tenant', {
              key: i < 2 ? `sw_test_${'0'.repeat(60)}${round}${i}` : undefined,
              remoteAddress: address,
            }),
          ),
        );
        answers.push(...batch);
      }
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
      // One bucket for both: the burst (plus at most one refill in the seconds this takes), not a burst each.
      const unauthorized = statuses.filter((status) => status === 401).length;
      expect(unauthorized).toBeGreaterThanOrEqual(AUTH_BURST);
      expect(unauthorized).toBeLessThanOrEqual(AUTH_BURST + 1);
      for (const replica of [0, 1]) {
        expect(answers.filter((answer, i) => i % 2 === replica && answer.status === 429).length).toBeGreaterThan(0);
      }
      expect(await fallbackDecisions()).toBe(alone);
      // Another address has its own bucket.
      const neighbour = await replicas[1].call('GET', '/v1/tenant', { remoteAddress: '198.51.100.9' });
      expect(neighbour.status).toBe(401);
    });
  });

  describe('when Redis goes away', () => {
    let proxy: RedisProxy;
    let booted: BootedService<GatewayConfig>;
    let api: Api;
    let key: string;

    beforeAll(async () => {
      proxy = await RedisProxy.start();
      booted = await bootInTestEnvironment(gatewayPersistence, loadGatewayConfig, makeModule, () => ({
        ADMIN_API_KEY: ADMIN_KEY,
        RATE_LIMIT_BURST: '1000',
        RATE_LIMIT_PER_MINUTE: '60000',
        RATE_LIMIT_REDIS_URL: proxy.url,
        RATE_LIMIT_REDIS_TIMEOUT_MS: '200',
        RATE_LIMIT_FALLBACK_REPLICAS: '2',
      }));
      api = new Api(booted.sut);
      key = (await api.tenant('globex')).apiKey;
    });

    afterAll(async () => {
      await proxy?.stop();
      if (booted) {
        await dropRateLimitKeys(booted.config.namespace);
        await booted.stop();
      }
    });

    const shared = '"tenant";q=1000;w=1';
    const alone = '"tenant";q=500;w=1';

    /** Every status answered during the outage test: none may be an error, not even the first one. */
    const statuses: number[] = [];

    async function expectPolicy(policy: string, active: number): Promise<void> {
      await eventually(async () => {
        const answer = await api.call('GET', '/v1/tenant', { key });
        statuses.push(answer.status);
        expect({ policy: policyOf(answer), active: await fallbackActive() }).toEqual({ policy, active });
      });
    }

    it('limits in each replica alone while Redis is unreachable or hangs, and shares the limit again when it is back', async () => {
      await expectPolicy(shared, 0);
      await proxy.cut();
      await expectPolicy(alone, 1);
      await proxy.resume();
      await expectPolicy(shared, 0);
      proxy.stall();
      await expectPolicy(alone, 1);
      await proxy.resume();
      await expectPolicy(shared, 0);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
    });
  });
});
