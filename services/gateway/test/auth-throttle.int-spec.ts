import { randomBytes } from 'node:crypto';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { GatewayAppModule } from '../src/app.module';
import { lookupOf } from '../src/auth/api-key';
import { KeyCache } from '../src/auth/key-cache';
import { TenantsStore } from '../src/auth/tenants.store';
import { GatewayConfig, loadGatewayConfig } from '../src/gateway.config';
import { gatewayPersistence } from '../src/gateway.persistence';
import { ADMIN_KEY, Api, ApiResponse } from './gateway.e2e-harness';

const ATTACKER = '203.0.113.7';
const NEIGHBOUR = '198.51.100.2';
const PROXY = '10.1.2.3';
const BURST = 5;

/** A key of our shape that no tenant owns: each one makes the gateway look its lookup up. */
function guessedKey(): string {
  return `sw_test_${randomBytes(32).toString('hex')}`;
}

function statusesOf(answers: ApiResponse[]): number[] {
  return answers.map((answer) => answer.status);
}

async function bootGateway(env: Record<string, string>): Promise<BootedService<GatewayConfig>> {
  return bootInTestEnvironment(
    gatewayPersistence,
    loadGatewayConfig,
    (config, logger) => GatewayAppModule.forConfig(config, logger),
    () => ({ ADMIN_API_KEY: ADMIN_KEY, AUTH_FAILURE_BURST: String(BURST), AUTH_FAILURES_PER_MINUTE: '1', ...env }),
  );
}

/** The attack: guessing keys (or hammering without one) from one address, to brute-force or load Postgres. */
describe('throttling unauthenticated requests per client address', () => {
  describe('without trusted proxies', () => {
    let booted: BootedService<GatewayConfig>;
    let api: Api;
    let lookups: jest.SpyInstance;
    let tenantKey: string;

    beforeAll(async () => {
      booted = await bootGateway({});
      api = new Api(booted.sut);
      tenantKey = (await api.tenant('acme')).apiKey;
      lookups = jest.spyOn(booted.sut.app.get(TenantsStore), 'findKeyByLookup');
    });

    afterAll(async () => {
      lookups?.mockRestore();
      await booted?.stop();
    });

    it('answers 429 with Retry-After to a burst of guessed keys without reading the database for each', async () => {
      lookups.mockClear();
      const burst = await Promise.all(
        Array.from({ length: 40 }, () => api.call('GET', '/v1/tenant', { key: guessedKey(), remoteAddress: ATTACKER })),
      );
      const statuses = statusesOf(burst);
      expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
      expect(statuses.filter((status) => status === 401)).toHaveLength(BURST);
      expect(lookups).toHaveBeenCalledTimes(BURST);
      for (const refused of burst.filter((answer) => answer.status === 429)) {
        expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(refused.body).toMatchObject({ type: 'https://shelfwatch.dev/problems/rate-limited', status: 429 });
      }
    });

    it('keeps throttling the address whatever it claims in X-Forwarded-For or however it fails', async () => {
      lookups.mockClear();
      const attempts = [
        api.call('GET', '/v1/tenant', { remoteAddress: ATTACKER }),
        api.call('GET', '/v1/tenant', { key: 'not-even-a-key', remoteAddress: ATTACKER }),
        api.call('GET', '/v1/tenant', { key: 'wrong-admin-key-0123456789abcdef', remoteAddress: ATTACKER }),
        api.call('GET', '/v1/tenant', {
          key: guessedKey(),
          remoteAddress: ATTACKER,
          headers: { 'x-forwarded-for': '192.0.2.99' },
        }),
      ];
      expect(statusesOf(await Promise.all(attempts))).toEqual([429, 429, 429, 429]);
      expect(lookups).not.toHaveBeenCalled();
    });

    it('still serves another address while the attacker is throttled', async () => {
      const neighbour = await api.call('GET', '/v1/tenant', { key: guessedKey(), remoteAddress: NEIGHBOUR });
      expect(neighbour.status).toBe(401);
      const served = await api.call('GET', '/v1/tenant', { key: tenantKey, remoteAddress: NEIGHBOUR });
      expect(served.status).toBe(200);
    });

    it('does not use up the bucket with keys that authenticate', async () => {
      const fresh = '192.0.2.10';
      const tenants = await Promise.all(Array.from({ length: BURST * 2 }, (_, i) => api.tenant(`seller-${i}`)));
      // Each key is new to the gateway's cache, so each one is looked up in the database.
      for (const tenant of tenants) {
        expect((await api.call('GET', '/v1/tenant', { key: tenant.apiKey, remoteAddress: fresh })).status).toBe(200);
      }
      const guessed = await Promise.all(
        Array.from({ length: BURST }, () => api.call('GET', '/v1/tenant', { key: guessedKey(), remoteAddress: fresh })),
      );
      expect(statusesOf(guessed)).toEqual(Array.from({ length: BURST }, () => 401));
    });
  });

  describe('a valid key in concurrent use', () => {
    let booted: BootedService<GatewayConfig>;
    let api: Api;

    beforeAll(async () => {
      booted = await bootGateway({});
      api = new Api(booted.sut);
    });

    afterAll(async () => {
      await booted?.stop();
    });

    it('is never refused as unauthenticated when more requests than the burst miss the key cache at once', async () => {
      const { apiKey } = await api.tenant('busy-integration');
      const reads = jest.spyOn(booted.sut.app.get(TenantsStore), 'findKeyByLookup');
      try {
        // Cold, as every key is once per KEY_CACHE_TTL_MS: the requests below all arrive before the first read ends.
        booted.sut.app.get(KeyCache).forget(lookupOf(apiKey) ?? '');
        const answers = await Promise.all(
          Array.from({ length: BURST * 8 }, () =>
            api.call('GET', '/v1/tenant', { key: apiKey, remoteAddress: ATTACKER }),
          ),
        );
        expect(statusesOf(answers)).toEqual(Array.from({ length: BURST * 8 }, () => 200));
        expect(reads).toHaveBeenCalledTimes(1);
        // The address's bucket is still full: the burst of guessed keys is limited as before.
        const guessed = await Promise.all(
          Array.from({ length: BURST + 1 }, () =>
            api.call('GET', '/v1/tenant', { key: guessedKey(), remoteAddress: ATTACKER }),
          ),
        );
        expect(statusesOf(guessed).filter((status) => status === 401)).toHaveLength(BURST);
      } finally {
        reads.mockRestore();
      }
    });

    it('still charges each request that joined a read of a key that turns out unknown', async () => {
      const guessed = guessedKey();
      const answers = await Promise.all(
        Array.from({ length: BURST * 4 }, () =>
          api.call('GET', '/v1/tenant', { key: guessed, remoteAddress: NEIGHBOUR }),
        ),
      );
      expect(statusesOf(answers).filter((status) => status === 401)).toHaveLength(BURST);
      expect(statusesOf(answers).filter((status) => status === 429)).toHaveLength(BURST * 3);
    });

    it('lets a request that joined a refused one pay for its own read of a valid key', async () => {
      const { apiKey } = await api.tenant('shared-nat');
      const spent = '192.0.2.44';
      await Promise.all(
        Array.from({ length: BURST }, () => api.call('GET', '/v1/tenant', { key: guessedKey(), remoteAddress: spent })),
      );
      booted.sut.app.get(KeyCache).forget(lookupOf(apiKey) ?? '');
      // The first is refused before its read (its address has no token left); the second joined it, and reads.
      const [refused, served] = await Promise.all([
        api.call('GET', '/v1/tenant', { key: apiKey, remoteAddress: spent }),
        api.call('GET', '/v1/tenant', { key: apiKey, remoteAddress: '192.0.2.45' }),
      ]);
      expect([refused.status, served.status]).toEqual([429, 200]);
    });
  });

  describe('behind a trusted proxy', () => {
    let booted: BootedService<GatewayConfig>;
    let api: Api;

    beforeAll(async () => {
      booted = await bootGateway({ TRUSTED_PROXIES: `${PROXY}/32` });
      api = new Api(booted.sut);
    });

    afterAll(async () => {
      await booted?.stop();
    });

    it('limits the client named by the proxy, not the proxy itself', async () => {
      const from = (client: string): Promise<ApiResponse> =>
        api.call('GET', '/v1/tenant', {
          key: guessedKey(),
          remoteAddress: PROXY,
          headers: { 'x-forwarded-for': client },
        });
      const attacker = await Promise.all(Array.from({ length: BURST + 3 }, () => from(ATTACKER)));
      expect(statusesOf(attacker).filter((status) => status === 429)).toHaveLength(3);
      expect((await from(NEIGHBOUR)).status).toBe(401);
    });
  });
});
