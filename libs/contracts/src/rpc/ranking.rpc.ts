/** Request/reply contracts of the ranking service: subjects, request schemas, answer types. */
import { z } from 'zod';
import { PriceSource, RankingEntry, Standing } from '../events/ranking.events';
import { EBAY_SITE_IDS, MARKETPLACES, OrderFidelity, marketplaceCurrency, normalizeSite } from '../marketplaces';
import { pageInput } from '../pagination';
import { PlanView, planNameSchema } from '../plans';

/** Request/reply subjects served by the ranking service. */
export const RANKING_RPC = {
  productCreate: 'ranking.product.create',
  productList: 'ranking.product.list',
  productGet: 'ranking.product.get',
  productUpdate: 'ranking.product.update',
  productDelete: 'ranking.product.delete',
  keywordAdd: 'ranking.keyword.add',
  keywordRemove: 'ranking.keyword.remove',
  keywordList: 'ranking.keyword.list',
  keywordUpdate: 'ranking.keyword.update',
  keywordLatest: 'ranking.keyword.latest',
  exclusionAdd: 'ranking.exclusion.add',
  exclusionList: 'ranking.exclusion.list',
  exclusionDelete: 'ranking.exclusion.delete',
  tenantPlanGet: 'ranking.tenant.plan.get',
  tenantPlanSet: 'ranking.tenant.plan.set',
} as const;

/** Trimmed, lower case, single spaces: how a keyword is stored and compared. */
export function normalizeKeyword(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

const keywordText = z.string().transform(normalizeKeyword).pipe(z.string().min(1).max(200));
const intervalMinutes = z.number().int().min(5).max(10_080);
/** `numeric(14, 2)` holds 12 digits before the point: anything up to this rounds into the column. */
const price = z.number().nonnegative().max(999_999_999_999);
const marketplace = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(MARKETPLACES, { error: `must be one of the known marketplaces: ${MARKETPLACES.join(', ')}` }));
const name = z.string().trim().min(1).max(500);

/** Every request names its tenant; a write may carry the correlation id of the action that caused it. */
const scope = { tenantId: z.uuid(), correlationId: z.uuid().optional() };

/**
 * A product's site (eBay `EBAY_GB`, any case) and currency as sent. Both may be left out: the site defaults to
 * `EBAY_US` on eBay and is null elsewhere; the currency is always the site's ({@link marketplaceCurrency}).
 */
const productPlace = {
  site: z.string().trim().toUpperCase().max(20).nullable().optional(),
  currency: z.string().trim().toUpperCase().max(20).optional(),
};

/**
 * The site must be one the marketplace has (none for Naver and Rakuten), and a currency sent must be the one the
 * site's prices are in: a price in another currency could never be compared with the shelf's.
 */
function checkProductPlace(
  input: { marketplace: string; site?: string | null; currency?: string },
  ctx: z.core.$RefinementCtx,
): void {
  const { marketplace, currency } = input;
  const site = input.site ?? null;
  if (marketplace === 'ebay' && site !== null && !(EBAY_SITE_IDS as string[]).includes(site)) {
    ctx.addIssue({
      code: 'custom',
      path: ['site'],
      message: `must be one of the eBay sites: ${EBAY_SITE_IDS.join(', ')}`,
    });
    return;
  }
  if (marketplace !== 'ebay' && site !== null) {
    ctx.addIssue({ code: 'custom', path: ['site'], message: `${marketplace} has no sites: leave site out` });
    return;
  }
  const normalized = normalizeSite(marketplace, site);
  const expected = marketplaceCurrency(marketplace, normalized);
  if (currency !== undefined && currency !== expected) {
    ctx.addIssue({
      code: 'custom',
      path: ['currency'],
      message: `prices of ${normalized ?? marketplace} are in ${expected}: send ${expected} or leave currency out`,
    });
  }
}

const productFields = {
  marketplace,
  ...productPlace,
  externalId: z.string().trim().min(1).max(100),
  name,
  /** In the site's currency; cents allowed (64.99), kept to two decimals (`numeric(14, 2)`). */
  price,
  keywords: z.array(keywordText).max(50).optional(),
  intervalMinutes: intervalMinutes.optional(),
};

/** `ranking.product.create`: the product and, optionally, keywords to attach at once. */
export const rankingProductCreateRequest = z.object({ ...scope, ...productFields }).superRefine(checkProductPlace);

/** The fields of `ranking.product.create` alone (the gateway's POST body). */
export const rankingProductCreateBody = z.object(productFields).superRefine(checkProductPlace);

/** `ranking.product.get` / `.delete`: one product of the tenant. */
export const rankingProductRefRequest = z.object({ ...scope, productId: z.uuid() });

const productChanges = { name: name.optional(), price: price.optional() };
const someChange = (input: { name?: string; price?: number }): boolean =>
  input.name !== undefined || input.price !== undefined;
const someChangeMessage = { message: 'name or price is required', path: ['name'] };

/** `ranking.product.update`: a new name and/or price. */
export const rankingProductUpdateRequest = rankingProductRefRequest
  .extend(productChanges)
  .refine(someChange, someChangeMessage);

/** The changes of `ranking.product.update` alone (the gateway's PATCH body). */
export const rankingProductChanges = z.object(productChanges).refine(someChange, someChangeMessage);

/** `ranking.product.list` / `ranking.exclusion.list`: one page of the tenant's items. */
export const rankingListRequest = z.object({ ...scope, ...pageInput });

/** `ranking.keyword.add`: attach a keyword text to a product. */
export const rankingKeywordAddRequest = rankingProductRefRequest.extend({
  keyword: keywordText,
  intervalMinutes: intervalMinutes.optional(),
});

/** `ranking.keyword.remove`: detach a keyword from a product. */
export const rankingKeywordRemoveRequest = rankingProductRefRequest.extend({ keywordId: z.uuid() });

const keywordChanges = {
  intervalMinutes: intervalMinutes.optional(),
  paused: z.boolean().optional(),
};
const someKeywordChange = (input: { intervalMinutes?: number; paused?: boolean }): boolean =>
  input.intervalMinutes !== undefined || input.paused !== undefined;
const someKeywordChangeMessage = { message: 'intervalMinutes or paused is required', path: ['intervalMinutes'] };

/** `ranking.keyword.update`: a new interval and/or pause of one of the tenant's keywords. */
export const rankingKeywordUpdateRequest = z
  .object({ ...scope, keywordId: z.uuid(), ...keywordChanges })
  .refine(someKeywordChange, someKeywordChangeMessage);

/** The changes of `ranking.keyword.update` alone (the gateway's PATCH body; unknown fields are refused). */
export const rankingKeywordChanges = z
  .object(keywordChanges)
  .strict()
  .refine(someKeywordChange, someKeywordChangeMessage);

/** `ranking.tenant.plan.get`: the tenant's plan (the default plan when it was never set). */
export const rankingTenantPlanGetRequest = z.object({ tenantId: z.uuid() });

/** `ranking.tenant.plan.set`: puts the tenant on a plan of the catalogue (`libs/contracts/src/plans.ts`). */
export const rankingTenantPlanSetRequest = z.object({ ...scope, plan: planNameSchema });

/** `ranking.keyword.list`: the tenant's keywords, or one product's. */
export const rankingKeywordListRequest = rankingListRequest.extend({ productId: z.uuid().optional() });

/**
 * `ranking.keyword.latest`: the latest recorded crawl of one of the tenant's keywords, its shelf from
 * `fromRank` on (the `nextRank` of the previous answer; default the top).
 */
export const rankingKeywordLatestRequest = z.object({
  tenantId: z.uuid(),
  keywordId: z.uuid(),
  fromRank: z.number().int().min(1).optional(),
});

/** `ranking.exclusion.add`: a marketplace product id or a mall name. */
export const rankingExclusionAddRequest = z.object({
  ...scope,
  kind: z.enum(['product', 'mall']),
  value: z.string().trim().min(1).max(200),
});

/** `ranking.exclusion.delete`: one exclusion of the tenant. */
export const rankingExclusionRefRequest = z.object({ ...scope, exclusionId: z.uuid() });

/** Validated request payloads, as the use cases receive them. */
export type RankingProductCreateInput = z.output<typeof rankingProductCreateRequest>;
export type RankingProductRefInput = z.output<typeof rankingProductRefRequest>;
export type RankingProductUpdateInput = z.output<typeof rankingProductUpdateRequest>;
export type RankingListInput = z.output<typeof rankingListRequest>;
export type RankingKeywordAddInput = z.output<typeof rankingKeywordAddRequest>;
export type RankingKeywordRemoveInput = z.output<typeof rankingKeywordRemoveRequest>;
export type RankingKeywordListInput = z.output<typeof rankingKeywordListRequest>;
export type RankingKeywordUpdateInput = z.output<typeof rankingKeywordUpdateRequest>;
export type RankingTenantPlanGetInput = z.output<typeof rankingTenantPlanGetRequest>;
export type RankingTenantPlanSetInput = z.output<typeof rankingTenantPlanSetRequest>;

/** A tenant's plan as the ranking answers it. */
export type RankingTenantPlanView = PlanView;
export type RankingExclusionAddInput = z.output<typeof rankingExclusionAddRequest>;
export type RankingExclusionRefInput = z.output<typeof rankingExclusionRefRequest>;

/** Where a product stood on one of its keywords at that keyword's latest recorded crawl. */
export interface RankingProductKeyword {
  keywordId: string;
  keyword: string;
  /** Rank at the latest crawl; null when not on the crawled pages, or never crawled. */
  rank: number | null;
  /** previousRank − rank (positive = moved up); null unless both are known. */
  change: number | null;
  /** Cheapest competitor at the latest crawl priced in `currency`; null when none or never crawled. */
  lowestCompetitorPrice: number | null;
  /** ISO 4217 currency of `myPrice` and `lowestCompetitorPrice`: the product's. */
  currency: string;
  /** How faithfully `rank` is the shopper's position at the latest crawl (`exact` when never crawled). */
  orderFidelity: OrderFidelity;
  /** My price at the latest crawl: observed on the shelf, else (and when never crawled) the catalogue price. */
  myPrice: number;
  priceSource: PriceSource;
  /** The mall my product was observed at; null unless `priceSource` is `observed`. */
  observedMall: string | null;
  /** When the keyword was last crawled successfully (ISO 8601); null when never. */
  lastCrawledAt: string | null;
  /** How often the keyword is crawled. */
  intervalMinutes: number;
  /** A paused keyword is not crawled on schedule. */
  paused: boolean;
  /** How the keyword's crawls have been going. */
  crawlHealth: RankingKeywordCrawlHealth;
}

/** A tracked product as callers see it. */
export interface RankingProductView {
  id: string;
  marketplace: string;
  /** The marketplace site (eBay `EBAY_US`, …); null for marketplaces without sites. */
  site: string | null;
  /** ISO 4217 currency of `price`: the marketplace's (site's). */
  currency: string;
  externalId: string;
  name: string;
  price: number;
  createdAt: string;
  keywords: RankingProductKeyword[];
}

/** A tenant's keyword as callers see it. */
export interface RankingKeywordView {
  id: string;
  marketplace: string;
  /** The site the keyword is searched on (its products' site); null for marketplaces without sites. */
  site: string | null;
  keyword: string;
  /** How often the keyword is crawled (one value per keyword; PATCH changes it). */
  intervalMinutes: number;
  /** A paused keyword is not crawled on schedule (a manual crawl still is). */
  paused: boolean;
  productIds: string[];
  /** How the keyword's crawls have been going. */
  crawlHealth: RankingKeywordCrawlHealth;
}

/** A keyword's crawl health: failing after several crawls in a row ended failed (retried attempts not counted). */
export interface RankingKeywordCrawlHealth {
  /** At least `CRAWL_FAILING_AFTER` crawls in a row ended failed; a completed crawl clears it. */
  failing: boolean;
  consecutiveFailures: number;
  /** The last failed crawl's reason while failures run; null once a crawl completed. */
  lastError: { code: string; message: string; at: string } | null;
  /** When a crawl of the keyword last completed (ISO 8601); null when never (since crawl health was kept). */
  lastCrawledAt: string | null;
}

/** An attach: the keyword, and whether this call linked it (false: the product already had it). */
export interface RankingKeywordAttached {
  productId: string;
  keywordId: string;
  keyword: string;
  marketplace: string;
  /** The site the keyword is searched on (the product's); null for marketplaces without sites. */
  site: string | null;
  intervalMinutes: number;
  created: boolean;
}

/** An exclusion as callers see it. */
export interface RankingExclusionView {
  id: string;
  kind: 'product' | 'mall';
  value: string;
  createdAt: string;
}

/** The latest recorded crawl of a keyword: the standings of its tracked products and the whole shelf. */
export interface RankingLatestView {
  keywordId: string;
  /** Null while the keyword has never been crawled successfully. */
  crawl: {
    crawlId: string;
    crawledAt: string;
    recordedAt: string;
    /** How faithfully the ranks are the shopper's positions (from the crawl's `crawl.completed`). */
    orderFidelity: OrderFidelity;
  } | null;
  standings: Standing[];
  /** The shelf from `fromRank` on, cut at a byte budget (PAGE_MAX_BYTES) so the answer fits in one message. */
  entries: (RankingEntry & { title: string })[];
  /** The rank to ask for next (`fromRank`) when the shelf was cut; null when `entries` reach its end. */
  nextRank: number | null;
}

/** Answers of the deleting commands. */
export interface RankingProductRemoved {
  productId: string;
  removed: true;
}
export interface RankingKeywordRemoved {
  productId: string;
  keywordId: string;
  removed: true;
}
export interface RankingExclusionRemoved {
  exclusionId: string;
  removed: true;
}
