/** Request/reply contracts of the crawler service: subjects, request schemas (answers: `crawler.answers.ts`). */
import { z } from 'zod';
import { marketplaceId } from '../input-safety';
import { pageInput } from '../pagination';

/** Request/reply subjects served by the crawler service. */
export const CRAWLER_RPC = {
  crawlRequest: 'crawler.crawl.request',
  crawlGet: 'crawler.crawl.get',
  crawlList: 'crawler.crawl.list',
  credentialsPut: 'crawler.credentials.put',
  credentialsGet: 'crawler.credentials.get',
  credentialsDelete: 'crawler.credentials.delete',
  tenantUsage: 'crawler.tenant.usage',
} as const;

/** Where a crawl run is in its life. */
export const crawlStatusSchema = z.enum(['requested', 'running', 'completed', 'failed']);
export type CrawlerCrawlStatus = z.infer<typeof crawlStatusSchema>;

/** `crawler.crawl.request`: crawl one keyword of the tenant now (`already_running` while one is active). */
export const crawlerCrawlRequest = z.object({ tenantId: z.uuid(), keywordId: z.uuid() });

/** `crawler.crawl.get`: one crawl run of the tenant. */
export const crawlerCrawlGetRequest = z.object({ tenantId: z.uuid(), crawlId: z.uuid() });

/** `crawler.crawl.list`: the tenant's crawl runs, newest first, optionally of one status and/or keyword. */
export const crawlerCrawlListRequest = z.object({
  tenantId: z.uuid(),
  status: crawlStatusSchema.optional(),
  keywordId: z.uuid().optional(),
  ...pageInput,
});

export type CrawlerCrawlListInput = z.output<typeof crawlerCrawlListRequest>;

/**
 * A marketplace credential field: printable ASCII without spaces (it travels in HTTP headers, where anything else
 * would fail the request before it is sent), long enough that its last four characters reveal little.
 */
const credentialText = z
  .string()
  .min(8)
  .max(256)
  .regex(/^[\x21-\x7e]+$/, { error: 'must be printable ASCII without spaces' });

/**
 * Marketplaces whose `clientSecret` may be left out: Rakuten's is its access key, which only its new host needs
 * (stored as an empty secret, which the adapter does not send).
 */
const SECRET_OPTIONAL_MARKETPLACES: readonly string[] = ['rakuten'];

/**
 * The credentials of `PUT /v1/marketplaces/:marketplace/credentials`: a client id (Rakuten: the application id) and
 * a client secret (Rakuten: the access key), required but for the marketplaces that need none (the RPC request
 * checks which, as the marketplace comes from the path).
 */
export const crawlerCredentialsFields = z.object({ clientId: credentialText, clientSecret: credentialText.optional() });

/**
 * `crawler.credentials.put`: stores the tenant's own credentials of a marketplace after one live search with
 * them; `credentials_rejected` when the marketplace refuses them, `credentials_unverified` when the check could
 * not be made (nothing is stored in either case).
 */
export const crawlerCredentialsPutRequest = z
  .object({ tenantId: z.uuid(), marketplace: marketplaceId, ...crawlerCredentialsFields.shape })
  .superRefine((request, ctx) => {
    if (request.clientSecret === undefined && !SECRET_OPTIONAL_MARKETPLACES.includes(request.marketplace)) {
      ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: `is required for ${request.marketplace}` });
    }
  });

/** `crawler.credentials.get`: which credentials the tenant's crawls of the marketplace use (never them). */
export const crawlerCredentialsGetRequest = z.object({ tenantId: z.uuid(), marketplace: marketplaceId });

/** `crawler.credentials.delete`: forgets the tenant's own credentials (`not_found` when none are stored). */
export const crawlerCredentialsDeleteRequest = crawlerCredentialsGetRequest;

/** `crawler.tenant.usage`: what the tenant's crawls spent today of each marketplace's budget. */
export const crawlerTenantUsageRequest = z.object({ tenantId: z.uuid() });

/** The tenant's use today of one marketplace's requests (an element of the answer of `crawler.tenant.usage`). */
export const crawlerTenantUsageSchema = z.object({
  marketplace: z.string(),
  /** `platform`: the shared credentials, of which the tenant has a share; `tenant`: its own, with their own quota. */
  credentialSource: z.enum(['tenant', 'platform']),
  /** Requests sent for the tenant since the last reset, retries included. */
  usedToday: z.number().int(),
  /** The tenant's share of the platform credentials' daily quota; null with its own credentials (no share). */
  shareToday: z.number().int().nullable(),
  /** When the day's count starts over (Naver: midnight in Seoul), ISO 8601. */
  resetsAt: z.iso.datetime({ offset: true }),
  /** The share (or the own credentials' quota) is used up: crawls fail until `resetsAt`. */
  exhausted: z.boolean(),
});
export type CrawlerTenantUsage = z.infer<typeof crawlerTenantUsageSchema>;
