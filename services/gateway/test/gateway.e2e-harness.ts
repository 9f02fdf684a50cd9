import { Env } from '@shelfwatch/config';
import { eventually } from '@shelfwatch/testing';
import { ServicePersistence } from '@shelfwatch/persistence';
import { RAKUTEN_SEARCH_PATH, RunningSimulator, groundTruth, startSimulator } from '../../../tools/marketplace-sim/src';
import {
  ServiceUnderTest,
  TestEnvironment,
  bootService,
  createTestEnvironment,
} from '../../../libs/platform/test/service-harness';
import { CrawlerAppModule } from '../../crawler/src/app.module';
import { loadCrawlerConfig } from '../../crawler/src/crawler.config';
import { crawlerPersistence } from '../../crawler/src/crawler.persistence';
import { RankingAppModule } from '../../ranking/src/app.module';
import { loadRankingConfig } from '../../ranking/src/ranking.config';
import { rankingPersistence } from '../../ranking/src/ranking.persistence';
import { GatewayAppModule } from '../src/app.module';
import { loadGatewayConfig } from '../src/gateway.config';
import { gatewayPersistence } from '../src/gateway.persistence';

export const ADMIN_KEY = 'e2e-admin-key-0123456789abcdef';
export const SIM_SEED = 11;
/** The simulator's pinned time, so the shelf is known in advance (groundTruth). */
export const SIM_T0 = new Date('2026-11-22T01:00:00Z');

/** What the API answered. */
export interface ApiResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** Parsed JSON (or the raw text when it is not JSON). */
  body: T;
  text: string;
}

/** Options of one call. */
export interface CallOptions {
  key?: string;
  body?: unknown;
  /** Sent as is (a string or Buffer) with its own content type. */
  raw?: { payload: string | Buffer; contentType: string };
  headers?: Record<string, string>;
  /** The TCP peer the request comes from (127.0.0.1 when unset). */
  remoteAddress?: string;
}

/** A running gateway answering through Fastify injection. */
export class Api {
  constructor(readonly sut: ServiceUnderTest) {}

  async call<T = unknown>(method: string, url: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) {
      headers.authorization = `Bearer ${options.key}`;
    }
    if (options.raw) {
      headers['content-type'] = options.raw.contentType;
    }
    const fastify = this.sut.app.getHttpAdapter().getInstance();
    const response = await fastify.inject({
      method: method as 'GET',
      url,
      headers,
      ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
      ...(options.raw
        ? { payload: options.raw.payload }
        : options.body === undefined
          ? {}
          : { payload: options.body as object }),
    });
    let body: unknown;
    try {
      body = response.body === '' ? undefined : JSON.parse(response.body);
    } catch {
      body = response.body;
    }
    return { status: response.statusCode, headers: response.headers, body: body as T, text: response.body };
  }

  /** Creates a tenant with the admin key; returns its id and key. */
  async tenant(name: string): Promise<{ id: string; apiKey: string }> {
    const created = await this.call<{ id: string; apiKey: string }>('POST', '/v1/tenants', {
      key: ADMIN_KEY,
      body: { name },
    });
    if (created.status !== 201) {
      throw new Error(`tenant creation answered ${created.status}: ${created.text}`);
    }
    return created.body;
  }
}

/** The gateway with the services behind it, in one test environment. */
export interface Platform {
  environment: TestEnvironment;
  api: Api;
  services: ServiceUnderTest[];
  sim: RunningSimulator;
  /** Boots another gateway on the same environment (e.g. with a small rate limit). */
  extraGateway(env: Env): Promise<Api>;
  stop(): Promise<void>;
}

/** Extra services (alerting, reporting, retention) booted next to the core ones. */
export interface ExtraService {
  persistence: ServicePersistence;
  boot(env: Env): Promise<ServiceUnderTest>;
}

/**
 * Simulator, crawler, ranking (+ extras) and the gateway on the real Postgres and NATS; `servicesEnv` is
 * added to the environment of every service (e.g. a service's limits).
 */
export async function startPlatform(
  extras: ExtraService[] = [],
  gatewayEnv: Env = {},
  servicesEnv: Env = {},
): Promise<Platform> {
  const sim = await startSimulator({ port: 0, seed: SIM_SEED });
  sim.control.setClock({ now: SIM_T0.toISOString() });
  const environment = await createTestEnvironment([
    gatewayPersistence,
    rankingPersistence,
    crawlerPersistence,
    ...extras.map((extra) => extra.persistence),
  ]);
  const env: Env = {
    ...environment.env,
    NAVER_API_BASE_URL: sim.url,
    NAVER_CLIENT_ID: 'client',
    NAVER_CLIENT_SECRET: 'secret',
    // eBay on the simulator too, without platform credentials unless a test passes them (tenants bring their own).
    EBAY_API_BASE_URL: sim.url,
    RAKUTEN_API_BASE_URL: `${sim.url}${RAKUTEN_SEARCH_PATH}`,
    RAKUTEN_APPLICATION_ID: 'rakuten-client',
    CRAWL_SCHEDULER_INTERVAL_MS: '3600000',
    ADMIN_API_KEY: ADMIN_KEY,
    RATE_LIMIT_BURST: '100000',
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_FAILURE_BURST: '10000',
    // Webhook receivers of the tests listen on 127.0.0.1.
    ALERTING_WEBHOOK_ALLOW_LOOPBACK: 'true',
    ALERTING_DELIVERY_POLL_MS: '100',
    ...servicesEnv,
  };
  const services = [
    await bootService('ranking', loadRankingConfig(env), (c, l) => RankingAppModule.forConfig(c, l)),
    await bootService('crawler', loadCrawlerConfig(env), (c, l) => CrawlerAppModule.forConfig(c, l)),
  ];
  for (const extra of extras) {
    services.push(await extra.boot(env));
  }
  const bootGateway = (overrides: Env): Promise<ServiceUnderTest> =>
    bootService('gateway', loadGatewayConfig({ ...env, ...overrides }), (c, l) => GatewayAppModule.forConfig(c, l));
  const gateway = await bootGateway(gatewayEnv);
  const gateways = [gateway];
  return {
    environment,
    api: new Api(gateway),
    services,
    sim,
    extraGateway: async (overrides) => {
      const extra = await bootGateway(overrides);
      gateways.push(extra);
      return new Api(extra);
    },
    stop: async () => {
      for (const sut of [...gateways, ...services]) {
        await sut.close();
      }
      await environment.cleanup();
      await sim.close();
    },
  };
}

/** A product of the tenant that is on the simulated shelf of `keyword` at `rank`, priced above everyone. */
export async function trackProductAt(
  api: Api,
  key: string,
  keyword: string,
  rank: number,
): Promise<{ productId: string; keywordId: string; externalId: string }> {
  const item = groundTruth(SIM_SEED, keyword, SIM_T0)[rank - 1];
  if (!item) {
    throw new Error(`no item at rank ${rank} for ${keyword}`);
  }
  const created = await api.call<{ id: string; keywords: { keywordId: string }[] }>('POST', '/v1/products', {
    key,
    body: { marketplace: 'naver', externalId: item.productId, name: item.title, price: 999_999, keywords: [keyword] },
  });
  const keywordId = created.body.keywords[0]?.keywordId;
  if (created.status !== 201 || !keywordId) {
    throw new Error(`product creation answered ${created.status}: ${created.text}`);
  }
  return { productId: created.body.id, keywordId, externalId: item.productId };
}

/** Requests a crawl of the keyword (retrying while the previous one runs) and waits until it completed. */
export async function crawlAndWait(api: Api, key: string, keywordId: string): Promise<string> {
  const requested = await eventually(async () => {
    const got = await api.call<{ crawlId: string }>('POST', '/v1/crawls', { key, body: { keywordId } });
    expect(got.status).toBe(202);
    return got;
  }, 15_000);
  const crawlId = requested.body.crawlId;
  await eventually(async () => {
    const run = await api.call<{ status: string }>('GET', `/v1/crawls/${crawlId}`, { key });
    expect(run.body.status).toBe('completed');
  }, 30_000);
  return crawlId;
}

/** Alert rules that raise a price undercut for any cheaper competitor, and nothing else. */
export const ANY_UNDERCUT_RULES = {
  priceUndercut: { enabled: true, minPercent: null, minAmount: null },
  rankDrop: { enabled: false, minPlaces: null, topK: null },
  productMissing: { enabled: false },
  newCompetitor: { enabled: false, topN: 10 },
  cooldownMinutes: 0,
};
