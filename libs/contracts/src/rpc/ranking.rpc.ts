/** Request/reply contracts of the ranking service: subjects and request schemas (answers: `ranking.answers.ts`). */
import { z } from 'zod';
import { EBAY_SITE_IDS, MARKETPLACES, marketplaceCurrency, normalizeSite } from '../marketplaces';
import { pageInput } from '../pagination';
import { planNameSchema } from '../plans';

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
export type RankingExclusionAddInput = z.output<typeof rankingExclusionAddRequest>;
export type RankingExclusionRefInput = z.output<typeof rankingExclusionRefRequest>;
