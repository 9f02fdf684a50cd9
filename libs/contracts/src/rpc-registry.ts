import { z } from 'zod';
import {
  alertPageSchema,
  alertRulesViewSchema,
  alertViewSchema,
  deliveryPageSchema,
  webhookCreatedSchema,
  webhookDeletedSchema,
  webhookPageSchema,
} from './rpc/alerting.answers';
import {
  ALERTING_RPC,
  alertAckRequest,
  alertGetRequest,
  alertListRequest,
  alertRulesGetRequest,
  alertRulesPutRequest,
  deliveryListRequest,
  webhookCreateRequest,
  webhookDeleteRequest,
  webhookListRequest,
} from './rpc/alerting.rpc';
import {
  crawlerCrawlPageSchema,
  crawlerCrawlRequestedSchema,
  crawlerCrawlViewSchema,
  crawlerCredentialsDeletedSchema,
  crawlerCredentialsStoredSchema,
  crawlerCredentialsViewSchema,
  crawlerMarketplaceListSchema,
  crawlerMarketplaceStatusesSchema,
} from './rpc/crawler.answers';
import {
  CRAWLER_RPC,
  crawlerCrawlGetRequest,
  crawlerCrawlListRequest,
  crawlerCrawlRequest,
  crawlerCredentialsDeleteRequest,
  crawlerCredentialsGetRequest,
  crawlerCredentialsPutRequest,
  crawlerTenantUsageRequest,
  crawlerTenantUsageSchema,
} from './rpc/crawler.rpc';
import {
  deadLetterDetailSchema,
  deadLetterPageSchema,
  deadLetterReplaySchema,
  healthSummarySchema,
} from './rpc/health.answers';
import { HEALTH_RPC, deadLetterRequest, deadLettersListRequest, healthSummaryRequest } from './rpc/health.rpc';
import {
  CRAWLER_MARKETPLACE_RPC,
  crawlerMarketplaceListRequest,
  crawlerMarketplaceStatusesRequest,
} from './rpc/marketplace.rpc';
import {
  rankingExclusionPageSchema,
  rankingExclusionRemovedSchema,
  rankingExclusionViewSchema,
  rankingKeywordAttachedSchema,
  rankingKeywordPageSchema,
  rankingKeywordRemovedSchema,
  rankingKeywordViewSchema,
  rankingLatestViewSchema,
  rankingProductPageSchema,
  rankingProductRemovedSchema,
  rankingProductViewSchema,
  rankingTenantPlanViewSchema,
} from './rpc/ranking.answers';
import {
  RANKING_RPC,
  rankingExclusionAddRequest,
  rankingExclusionRefRequest,
  rankingKeywordAddRequest,
  rankingKeywordLatestRequest,
  rankingKeywordListRequest,
  rankingKeywordRemoveRequest,
  rankingKeywordUpdateRequest,
  rankingListRequest,
  rankingProductCreateRequest,
  rankingProductRefRequest,
  rankingProductUpdateRequest,
  rankingTenantPlanGetRequest,
  rankingTenantPlanSetRequest,
} from './rpc/ranking.rpc';
import {
  reportingBrandsViewSchema,
  reportingDashboardViewSchema,
  reportingExportPageSchema,
  reportingPriceHistoryViewSchema,
  reportingRankHistoryViewSchema,
} from './rpc/reporting.answers';
import {
  REPORTING_RPC,
  reportingBrandsRequest,
  reportingDashboardRequest,
  reportingExportPageRequest,
  reportingPriceHistoryRequest,
  reportingRankHistoryRequest,
} from './rpc/reporting.rpc';
import {
  retentionKindPolicyViewSchema,
  retentionPolicyViewSchema,
  retentionSweepViewSchema,
} from './rpc/retention.answers';
import {
  RETENTION_RPC,
  retentionPolicyGetRequest,
  retentionPolicyOfKindRequest,
  retentionPolicyPutRequest,
  retentionSweepLatestRequest,
} from './rpc/retention.rpc';

/**
 * Every error code a request/reply answer may carry (docs/messaging.md). The request/reply layer answers
 * `invalid` (the request fails its schema), `answer_too_large` (it would not fit in one message: ask for less)
 * and `internal` (anything unexpected) on every subject; the others are the services' domain refusals.
 */
export const RPC_ERROR_CODES = [
  'invalid',
  'answer_too_large',
  'internal',
  'not_found',
  'conflict',
  'already_running',
  'limit_exceeded',
  'replay_failed',
  'credentials_rejected',
  'credentials_unverified',
] as const;
export type RpcAnyErrorCode = (typeof RPC_ERROR_CODES)[number];

/** The codes every subject may answer, whatever its handler does. */
const LAYER_ERRORS = ['invalid', 'answer_too_large', 'internal'] as const;

/** One subject: what it takes, what it answers, and every error code it may answer instead. */
function rpc<Req extends z.ZodType, Ans extends z.ZodType, const E extends readonly RpcAnyErrorCode[] = []>(
  request: Req,
  answer: Ans,
  domainErrors: E = [] as unknown as E,
): { request: Req; answer: Ans; errors: readonly [...typeof LAYER_ERRORS, ...E] } {
  return { request, answer, errors: [...LAYER_ERRORS, ...domainErrors] };
}

/**
 * Every request/reply subject with its request schema, its answer schema and the error codes it may answer:
 * callers are typed from it ({@link RpcRequest}, {@link RpcAnswer}, {@link RpcErrorCodeOf}), handlers return
 * {@link RpcAnswer}, and the gateway's response schemas and problem mapping derive from it.
 */
export const rpcRegistry = {
  [RANKING_RPC.productCreate]: rpc(rankingProductCreateRequest, rankingProductViewSchema, [
    'conflict',
    'limit_exceeded',
  ]),
  [RANKING_RPC.productList]: rpc(rankingListRequest, rankingProductPageSchema),
  [RANKING_RPC.productGet]: rpc(rankingProductRefRequest, rankingProductViewSchema, ['not_found']),
  [RANKING_RPC.productUpdate]: rpc(rankingProductUpdateRequest, rankingProductViewSchema, ['not_found', 'conflict']),
  [RANKING_RPC.productDelete]: rpc(rankingProductRefRequest, rankingProductRemovedSchema, ['not_found']),
  [RANKING_RPC.keywordAdd]: rpc(rankingKeywordAddRequest, rankingKeywordAttachedSchema, [
    'not_found',
    'conflict',
    'limit_exceeded',
  ]),
  [RANKING_RPC.keywordRemove]: rpc(rankingKeywordRemoveRequest, rankingKeywordRemovedSchema, ['not_found']),
  [RANKING_RPC.keywordList]: rpc(rankingKeywordListRequest, rankingKeywordPageSchema),
  [RANKING_RPC.keywordUpdate]: rpc(rankingKeywordUpdateRequest, rankingKeywordViewSchema, ['not_found', 'conflict']),
  [RANKING_RPC.keywordLatest]: rpc(rankingKeywordLatestRequest, rankingLatestViewSchema, ['not_found']),
  [RANKING_RPC.exclusionAdd]: rpc(rankingExclusionAddRequest, rankingExclusionViewSchema, ['conflict']),
  [RANKING_RPC.exclusionList]: rpc(rankingListRequest, rankingExclusionPageSchema),
  [RANKING_RPC.exclusionDelete]: rpc(rankingExclusionRefRequest, rankingExclusionRemovedSchema, ['not_found']),
  [RANKING_RPC.tenantPlanGet]: rpc(rankingTenantPlanGetRequest, rankingTenantPlanViewSchema),
  [RANKING_RPC.tenantPlanSet]: rpc(rankingTenantPlanSetRequest, rankingTenantPlanViewSchema),

  [CRAWLER_RPC.crawlRequest]: rpc(crawlerCrawlRequest, crawlerCrawlRequestedSchema, ['not_found', 'already_running']),
  [CRAWLER_RPC.crawlGet]: rpc(crawlerCrawlGetRequest, crawlerCrawlViewSchema, ['not_found']),
  [CRAWLER_RPC.crawlList]: rpc(crawlerCrawlListRequest, crawlerCrawlPageSchema),
  [CRAWLER_RPC.credentialsPut]: rpc(crawlerCredentialsPutRequest, crawlerCredentialsStoredSchema, [
    'credentials_rejected',
    'credentials_unverified',
  ]),
  [CRAWLER_RPC.credentialsGet]: rpc(crawlerCredentialsGetRequest, crawlerCredentialsViewSchema),
  [CRAWLER_RPC.credentialsDelete]: rpc(crawlerCredentialsDeleteRequest, crawlerCredentialsDeletedSchema, ['not_found']),
  [CRAWLER_RPC.tenantUsage]: rpc(crawlerTenantUsageRequest, z.array(crawlerTenantUsageSchema)),
  [CRAWLER_MARKETPLACE_RPC.list]: rpc(crawlerMarketplaceListRequest, crawlerMarketplaceListSchema),
  [CRAWLER_MARKETPLACE_RPC.statuses]: rpc(crawlerMarketplaceStatusesRequest, crawlerMarketplaceStatusesSchema),

  [ALERTING_RPC.alertList]: rpc(alertListRequest, alertPageSchema),
  [ALERTING_RPC.alertGet]: rpc(alertGetRequest, alertViewSchema, ['not_found']),
  [ALERTING_RPC.alertAck]: rpc(alertAckRequest, alertViewSchema, ['not_found', 'conflict']),
  [ALERTING_RPC.rulesGet]: rpc(alertRulesGetRequest, alertRulesViewSchema),
  [ALERTING_RPC.rulesPut]: rpc(alertRulesPutRequest, alertRulesViewSchema),
  [ALERTING_RPC.webhookCreate]: rpc(webhookCreateRequest, webhookCreatedSchema, ['conflict', 'limit_exceeded']),
  [ALERTING_RPC.webhookList]: rpc(webhookListRequest, webhookPageSchema),
  [ALERTING_RPC.webhookDelete]: rpc(webhookDeleteRequest, webhookDeletedSchema, ['not_found']),
  [ALERTING_RPC.deliveryList]: rpc(deliveryListRequest, deliveryPageSchema, ['not_found']),

  [REPORTING_RPC.dashboard]: rpc(reportingDashboardRequest, reportingDashboardViewSchema),
  [REPORTING_RPC.brands]: rpc(reportingBrandsRequest, reportingBrandsViewSchema, ['not_found']),
  [REPORTING_RPC.priceHistory]: rpc(reportingPriceHistoryRequest, reportingPriceHistoryViewSchema, ['not_found']),
  [REPORTING_RPC.rankHistory]: rpc(reportingRankHistoryRequest, reportingRankHistoryViewSchema, ['not_found']),
  [REPORTING_RPC.exportPage]: rpc(reportingExportPageRequest, reportingExportPageSchema),

  [RETENTION_RPC.policyGet]: rpc(retentionPolicyGetRequest, retentionPolicyViewSchema),
  [RETENTION_RPC.policyPut]: rpc(retentionPolicyPutRequest, retentionPolicyViewSchema),
  [RETENTION_RPC.sweepLatest]: rpc(retentionSweepLatestRequest, retentionSweepViewSchema, ['not_found']),
  [RETENTION_RPC.policyOfKind]: rpc(retentionPolicyOfKindRequest, retentionKindPolicyViewSchema),

  [HEALTH_RPC.summary]: rpc(healthSummaryRequest, healthSummarySchema),
  [HEALTH_RPC.deadLettersList]: rpc(deadLettersListRequest, deadLetterPageSchema),
  [HEALTH_RPC.deadLettersShow]: rpc(deadLetterRequest, deadLetterDetailSchema, ['not_found']),
  [HEALTH_RPC.deadLettersReplay]: rpc(deadLetterRequest, deadLetterReplaySchema, ['not_found', 'replay_failed']),
} as const;

type Registry = typeof rpcRegistry;

/** A request/reply subject of the platform. */
export type RpcSubject = keyof Registry;
/** What a caller sends to `S` (fields with defaults may be left out). */
export type RpcRequest<S extends RpcSubject> = z.input<Registry[S]['request']>;
/** What the handler of `S` receives, validated. */
export type RpcInput<S extends RpcSubject> = z.output<Registry[S]['request']>;
/** What `S` answers (a handler's return type, a caller's result). */
export type RpcAnswer<S extends RpcSubject> = z.output<Registry[S]['answer']>;
/** The error codes `S` may answer instead. */
export type RpcErrorCodeOf<S extends RpcSubject> = Registry[S]['errors'][number];

/**
 * What a handler may return for an answer of type `T`: JSON sends a `Date` as its ISO 8601 string, so a stored
 * row with dates checks against an answer of strings.
 */
export type RpcSendable<T> = T extends string
  ? T | Date
  : T extends readonly (infer U)[]
    ? RpcSendable<U>[]
    : T extends object
      ? { [K in keyof T]: RpcSendable<T[K]> }
      : T;

export const rpcSubjects = Object.keys(rpcRegistry) as RpcSubject[];

export function isRpcSubject(value: string): value is RpcSubject {
  return Object.hasOwn(rpcRegistry, value);
}

/** The answer schema of `subject` (validates what its handler answered; the gateway's response schema). */
export function rpcAnswerSchema<S extends RpcSubject>(subject: S): Registry[S]['answer'] {
  return rpcRegistry[subject].answer;
}

/** The code of a refusal `subject` may answer (an error with such a `code`), else undefined. */
export function rpcErrorCodeOf<S extends RpcSubject>(subject: S, error: unknown): RpcErrorCodeOf<S> | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const codes: readonly string[] = rpcRegistry[subject].errors;
  return typeof code === 'string' && codes.includes(code) ? (code as RpcErrorCodeOf<S>) : undefined;
}

/** Anything that sends a request and resolves with the answer's data (`RpcClient.request`). */
export interface RpcRequester {
  request<T>(subject: string, payload: unknown, timeoutMs?: number): Promise<T>;
}

/**
 * Sends `request` to `subject` over `client` and resolves with its answer, both typed from the registry.
 * A thin wrapper: the client does the sending, tracing and error mapping.
 */
export function requestRpc<S extends RpcSubject>(
  client: RpcRequester,
  subject: S,
  request: RpcRequest<S>,
  timeoutMs?: number,
): Promise<RpcAnswer<S>> {
  return client.request<RpcAnswer<S>>(subject, request, timeoutMs);
}
