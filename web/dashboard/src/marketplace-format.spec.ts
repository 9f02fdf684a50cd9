import { ApiError } from './api';
import { dateTime } from './format';
import { capabilities, marketplaceStatus } from './views.factory';
import {
  breakerText,
  capabilityFacts,
  credentialsFailure,
  credentialsText,
  planText,
  stateBadge,
  statusFacts,
  usageText,
} from './marketplace-format';
import type { MarketplaceCredentials, TenantUsage } from './types';

const facts = (status = marketplaceStatus()): Map<string, string> => new Map(statusFacts(status));

describe('how a marketplace status reads', () => {
  it('gives each state words as well as a colour', () => {
    expect(stateBadge('ok')).toEqual({ text: 'Working normally', tone: 'state-ok' });
    expect(stateBadge('degraded').text).toMatch(/^Degraded/);
    expect(stateBadge('unhealthy').text).toMatch(/^Unhealthy/);
    expect(stateBadge('unknown')).toEqual({ text: 'Unknown: no recent crawl to judge by', tone: 'state-unknown' });
    expect(new Set(['ok', 'degraded', 'unhealthy', 'unknown'].map((s) => stateBadge(s as 'ok').tone)).size).toBe(4);
  });

  it('says what the breaker does', () => {
    expect(breakerText('closed')).toBe('Requests flow normally');
    expect(breakerText('open')).toContain('stopped');
    expect(breakerText('halfOpen')).toContain('Trying again');
  });

  it('shows requests against the quota with its reset, the success rate and overdue keywords', () => {
    const status = marketplaceStatus({
      requestsToday: 24_000,
      keywordsOverdue: 7,
      successRateLastHour: 0.5,
      crawlsLastHour: 12,
    });
    const shown = facts(status);
    expect(shown.get('Requests today')).toBe(`24,000 of 25,000 (resets ${dateTime(status.quotaResetsAt)})`);
    expect(shown.get('Succeeded in the last hour')).toBe('50 % of 12 crawls');
    expect(shown.get('Keywords overdue')).toBe('7');
    expect(shown.get('Last error')).toBe('none');
    expect(shown.has('Paused until')).toBe(false);
  });

  it('shows an unhealthy marketplace: paused, with its last error and when, no crawl finished', () => {
    const status = marketplaceStatus({
      state: 'unhealthy',
      breaker: 'open',
      pausedUntil: '2026-12-03T11:00:00.000Z',
      lastError: { code: 'rate_limited', message: 'Naver answered 429', at: '2026-12-03T10:55:00.000Z' },
      successRateLastHour: null,
    });
    const shown = facts(status);
    expect(shown.get('Paused until')).toBe(dateTime('2026-12-03T11:00:00.000Z'));
    expect(shown.get('Last error')).toBe(`rate_limited: Naver answered 429 (${dateTime('2026-12-03T10:55:00.000Z')})`);
    expect(shown.get('Succeeded in the last hour')).toBe('no crawl finished in the last hour');
    expect(shown.get('Circuit breaker')).toContain('stopped');
  });
});

describe('which credentials a tenant uses', () => {
  const credentials = (overrides: Partial<MarketplaceCredentials>): MarketplaceCredentials => ({
    source: 'platform',
    last4: null,
    lastUsedAt: null,
    updatedAt: null,
    ...overrides,
  });

  it('names the source: own (last 4 only), the platform, or none', () => {
    expect(credentialsText(credentials({ source: 'tenant', last4: '1234' }))).toBe('Your own (client id …1234)');
    expect(credentialsText(credentials({ source: 'platform' }))).toContain("ShelfWatch's shared credentials");
    expect(credentialsText(credentials({ source: 'none' }))).toMatch(/^None: crawls .* cannot run/);
  });

  it('explains a 422 credentials-rejected in a sentence, not as a status code', () => {
    const rejected = new ApiError(
      422,
      {
        type: 'https://shelfwatch.dev/problems/credentials-rejected',
        title: 'Credentials rejected',
        status: 422,
        detail: 'naver answered 401',
      },
      'Credentials rejected: naver answered 401',
    );
    const text = credentialsFailure(rejected, 'Naver Shopping');
    expect(text).toBe(
      'Naver Shopping did not accept these credentials, so they were not saved. ' +
        'Check the client id and secret (copy them again from the developer console) and try again.',
    );
    expect(text).not.toContain('422');
  });

  it('says the credentials were not saved when the marketplace could not be asked', () => {
    const unverified = new ApiError(
      503,
      {
        type: 'https://shelfwatch.dev/problems/credentials-unverified',
        title: 'Credentials unverified',
        status: 503,
        detail: 'naver did not answer',
      },
      'ShelfWatch could not answer right now. Try again in a moment.',
    );
    expect(credentialsFailure(unverified, 'Naver Shopping')).toBe(
      'Naver Shopping could not be asked whether these credentials work, so they were not saved. Try again in a few minutes.',
    );
  });

  it('passes other failures through in their own words', () => {
    expect(credentialsFailure(new ApiError(400, null, 'Please check the form: marketplace: unknown.'), 'X')).toBe(
      'Please check the form: marketplace: unknown.',
    );
    expect(credentialsFailure(new ApiError(404, null, 'Not found'), 'X')).toBe(
      'No credentials of yours were stored for this marketplace.',
    );
  });
});

describe('plan and usage', () => {
  const usage = (overrides: Partial<TenantUsage>): TenantUsage => ({
    marketplace: 'naver',
    credentialSource: 'platform',
    usedToday: 300,
    shareToday: 1_000,
    resetsAt: '2026-12-04T15:00:00.000Z',
    exhausted: false,
    ...overrides,
  });

  it('names the plan and its limits', () => {
    expect(planText({ name: 'pro', shareWeight: 4, maxKeywords: 1_000, minIntervalMinutes: 5 })).toBe(
      'pro plan: up to 1,000 keywords, each crawled at most every 5 minutes, share weight 4.',
    );
  });

  it('shows the share used today, and warns once it is used up', () => {
    expect(usageText(usage({}))).toEqual({ text: 'naver: 300 of your 1,000 requests today (30 %).', warning: null });
    const exhausted = usageText(usage({ usedToday: 1_000, exhausted: true }));
    expect(exhausted.text).toContain('(100 %)');
    expect(exhausted.warning).toBe(
      `Your share of today's naver requests is used up: scheduled crawls wait until ${dateTime('2026-12-04T15:00:00.000Z')}.`,
    );
  });

  it('has no share with own credentials', () => {
    expect(usageText(usage({ credentialSource: 'tenant', shareToday: null })).text).toBe(
      'naver: 300 requests today with your own credentials (no share applies).',
    );
  });
});

describe('what a marketplace can do', () => {
  it("lists eBay's page size, depth, rate, quota, order, fields, currencies and sites", () => {
    expect(new Map(capabilityFacts(capabilities()))).toEqual(
      new Map([
        ['Results per request', '200'],
        ['Deepest rank it returns', '#10,000'],
        ['Request rate', '5 a second, 5,000 a day'],
        [
          'Result order',
          "Approximate (≈): the API's order approximates what shoppers see, which varies by buyer and location",
        ],
        ['Listing details', 'seller, availability, condition, placement'],
        ['Currencies', 'USD, GBP'],
        ['Sites', 'United States · USD (EBAY_US); United Kingdom · GBP (EBAY_GB)'],
      ]),
    );
  });

  it("says an exact order is the shoppers' order, and a marketplace with one site has one", () => {
    const naver = new Map(
      capabilityFacts(
        capabilities({ orderFidelity: 'exact', fields: [], currencies: ['KRW'], sites: [], pageSize: 100 }),
      ),
    );
    expect(naver.get('Result order')).toBe('Exact: ranks are the order shoppers see');
    expect(naver.get('Listing details')).toBe('none beyond title, mall and price');
    expect(naver.get('Sites')).toBe('one');
  });
});
