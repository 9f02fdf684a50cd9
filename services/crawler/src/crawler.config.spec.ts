import { randomBytes } from 'node:crypto';
import { loadCrawlerConfig } from './crawler.config';

/** A production environment without marketplace credentials. */
const PRODUCTION = {
  NODE_ENV: 'production',
  NATS_URL: 'nats://nats:4222',
  DATABASE_URL: 'postgres://crawler:pw@db:5432/shelfwatch',
  NATS_USER: 'crawler',
  NATS_PASSWORD: 'crawler-nats-password-0123456789',
  CRAWLER_CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
};

describe('crawler configuration: Naver credentials in production', () => {
  // Only the Naver credentials decide whether these load.
  const production = PRODUCTION;

  function refusal(env: Record<string, string>): string {
    try {
      loadCrawlerConfig(env);
    } catch (error) {
      return (error as Error).message;
    }
    return 'started';
  }

  it('refuses to start against the real API without platform credentials, naming the variables', () => {
    const message = refusal(production);
    expect(message).toContain('NAVER_CLIENT_ID');
    expect(message).toContain('NAVER_CLIENT_SECRET');
    expect(message).toContain('NAVER_API_BASE_URL');
  });

  it('refuses when only one of the two credentials is set, naming the missing one and never echoing the other', () => {
    const message = refusal({ ...production, NAVER_CLIENT_ID: 'platform-client-id-4821' });
    expect(message).toContain('NAVER_CLIENT_SECRET: is required in production');
    expect(message).not.toContain('NAVER_CLIENT_ID: is required');
    expect(message).not.toContain('platform-client-id-4821');
  });

  it('refuses the real API however its address is spelled', () => {
    expect(refusal({ ...production, NAVER_API_BASE_URL: 'https://OpenAPI.naver.com/' })).toContain('NAVER_CLIENT_ID');
  });

  it('starts with both credentials, or against a simulator without them', () => {
    const credentials = { NAVER_CLIENT_ID: 'id', NAVER_CLIENT_SECRET: 'secret' };
    expect(loadCrawlerConfig({ ...production, ...credentials }).naverClientId).not.toBeNull();
    expect(loadCrawlerConfig({ ...production, NAVER_API_BASE_URL: 'http://sim:3100' }).naverClientId).toBeNull();
  });

  it('starts without credentials outside production (crawls then fail as auth_failed, naming them)', () => {
    expect(loadCrawlerConfig({}).naverClientId).toBeNull();
  });
});

describe('crawler configuration: eBay', () => {
  const production = { ...PRODUCTION, NAVER_CLIENT_ID: 'naver-id', NAVER_CLIENT_SECRET: 'naver-secret' };

  it('defaults to the real API with a new application’s limits', () => {
    const config = loadCrawlerConfig({});
    expect(config).toMatchObject({
      ebayApiBaseUrl: 'https://api.ebay.com',
      ebayClientId: null,
      ebayClientSecret: null,
      ebayDailyQuota: 5_000,
      ebayRatePerSecond: 5,
    });
  });

  it('starts in production with Naver credentials but none for eBay (tenants then bring theirs)', () => {
    expect(loadCrawlerConfig(production).ebayClientId).toBeNull();
    const both = loadCrawlerConfig({ ...production, EBAY_CLIENT_ID: 'ebay-id', EBAY_CLIENT_SECRET: 'ebay-secret' });
    expect(both.ebayClientSecret?.value.reveal()).toBe('ebay-secret');
  });

  it('refuses half an eBay keyset in production, naming the missing variable and never echoing the other', () => {
    expect(() => loadCrawlerConfig({ ...production, EBAY_CLIENT_ID: 'ebay-app-id-77' })).toThrow(
      /EBAY_CLIENT_SECRET: is required in production/,
    );
    expect(() => loadCrawlerConfig({ ...production, EBAY_CLIENT_ID: 'ebay-app-id-77' })).not.toThrow(/ebay-app-id-77/);
  });

  it('names a bad limit', () => {
    expect(() => loadCrawlerConfig({ EBAY_DAILY_QUOTA: '0' })).toThrow(/EBAY_DAILY_QUOTA/);
  });
});

describe('crawler configuration: Rakuten', () => {
  const production = {
    NODE_ENV: 'production',
    NATS_URL: 'nats://nats:4222',
    DATABASE_URL: 'postgres://crawler:pw@db:5432/shelfwatch',
    NATS_USER: 'crawler',
    NATS_PASSWORD: 'crawler-nats-password-0123456789',
    CRAWLER_CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    NAVER_CLIENT_ID: 'naver-id',
    NAVER_CLIENT_SECRET: 'naver-secret',
  };

  it('defaults to the documented host at one request a second, without credentials or referer', () => {
    expect(loadCrawlerConfig({})).toMatchObject({
      rakutenApiBaseUrl: 'https://app.rakuten.co.jp/services/api/IchibaItem/Search/20220601',
      rakutenApplicationId: null,
      rakutenAccessKey: null,
      rakutenReferer: null,
      rakutenRatePerSecond: 1,
      rakutenMaxConcurrency: 1,
      rakutenDailyQuota: 86_400,
    });
  });

  it('starts in production with Naver credentials and none for Rakuten (tenants then bring theirs)', () => {
    expect(loadCrawlerConfig(production).rakutenApplicationId).toBeNull();
    const newHost = loadCrawlerConfig({
      ...production,
      RAKUTEN_API_BASE_URL: 'https://openapi.rakuten.co.jp/ichibams/api/IchibaItem/Search/20220601',
      RAKUTEN_APPLICATION_ID: 'app-id',
      RAKUTEN_ACCESS_KEY: 'access-key',
      RAKUTEN_REFERER: 'https://shelf.example.com/',
    });
    expect(newHost.rakutenAccessKey?.value.reveal()).toBe('access-key');
    expect(newHost.rakutenReferer).toBe('https://shelf.example.com/');
  });

  it('refuses an access key without an application id, and a referer that is not a URL, naming the variable', () => {
    expect(() => loadCrawlerConfig({ RAKUTEN_ACCESS_KEY: 'key-7781' })).toThrow(/RAKUTEN_APPLICATION_ID: is required/);
    expect(() => loadCrawlerConfig({ RAKUTEN_ACCESS_KEY: 'key-7781' })).not.toThrow(/key-7781/);
    expect(() => loadCrawlerConfig({ RAKUTEN_REFERER: 'shelf.example.com' })).toThrow(/RAKUTEN_REFERER/);
  });
});
