import { CRAWLER_RPC, RANKING_RPC, isoDate, pageOf, planNameSchema, rpcAnswerSchema } from '@shelfwatch/contracts';
import { RpcUnavailableError } from '@shelfwatch/messaging';
import { isBreakerOpen } from '@shelfwatch/resilience';
import { z } from 'zod';
import { TenantsService } from '../auth/tenants.service';
import { Downstream } from '../downstream/downstream';
import { idParams, pageQuery } from '../http/http-schemas';
import { AnyRoute, route } from '../http/route';
import { TenantProfileCache } from './tenant-profile-cache';

const tenantView = z.object({ id: z.uuid(), name: z.string(), createdAt: isoDate }).meta({ id: 'Tenant' });
const apiKeyView = z
  .object({
    id: z.uuid(),
    label: z.string(),
    lookup: z.string().describe('Public part of the key (the 12 characters after the prefix)'),
    createdAt: isoDate,
    revokedAt: isoDate.nullable().describe('When the key stops (or stopped) working'),
    lastUsedAt: isoDate.nullable().describe('Approximate (updated at most once a minute)'),
  })
  .meta({ id: 'ApiKey' });
const issuedKey = apiKeyView
  .extend({ apiKey: z.string().describe('The key itself: shown this once, never again') })
  .meta({ id: 'IssuedApiKey' });
const label = z.string().trim().min(1).max(100);
/** Null when the service did not answer (no instance, timeout, open breaker): the tenant stays readable. */
function unlessUnavailable(error: unknown): null {
  if (error instanceof RpcUnavailableError || isBreakerOpen(error)) {
    return null;
  }
  throw error;
}

const ownTenantView = tenantView
  .extend({
    plan: rpcAnswerSchema(RANKING_RPC.tenantPlanGet)
      .nullable()
      .describe('Null only while the ranking service (which owns plans) does not answer'),
    usage: rpcAnswerSchema(CRAWLER_RPC.tenantUsage)
      .nullable()
      .describe(
        "The tenant's requests today per marketplace, against its share of the platform's daily quota; " +
          'null only while the crawler does not answer (the tenant itself is still served)',
      ),
  })
  .meta({ id: 'OwnTenant' });

/** Tenants (operator), their plans, and the tenant's own API keys: issue, list, rotate, revoke. */
export function tenantsRoutes(tenants: TenantsService, downstream: Downstream): AnyRoute[] {
  const profiles = new TenantProfileCache(async (tenantId: string) => {
    const [tenant, plan] = await Promise.all([
      tenants.getTenant(tenantId),
      downstream.call(RANKING_RPC.tenantPlanGet, { tenantId }).catch((error: unknown) => unlessUnavailable(error)),
    ]);
    return { profile: { ...tenant, plan }, complete: plan !== null };
  });
  const usages = new TenantProfileCache(
    async (tenantId: string) => {
      const usage = await downstream
        .call(CRAWLER_RPC.tenantUsage, { tenantId })
        .catch((error: unknown) => unlessUnavailable(error));
      return { profile: usage, complete: usage !== null };
    },
    {},
    'usage',
  );
  return [
    route({
      method: 'POST',
      path: '/v1/tenants',
      operationId: 'createTenant',
      summary: 'Create a tenant and its first API key (admin key only; the key is shown once)',
      tag: 'tenants',
      access: 'admin',
      body: z.object({ name: z.string().trim().min(1).max(200) }),
      status: 201,
      response: tenantView.extend({ apiKey: z.string(), apiKeyId: z.uuid() }),
      secretFields: ['apiKey'],
      handle: ({ body }) => tenants.createTenant(body.name),
    }),
    route({
      method: 'POST',
      path: '/v1/tenants/:id/api-keys',
      operationId: 'issueTenantKey',
      summary: 'Issue a new key to a tenant (admin key only), e.g. when it lost all of them',
      tag: 'tenants',
      access: 'admin',
      params: idParams,
      body: z.object({ label: label.default('issued by operator') }).default({ label: 'issued by operator' }),
      status: 201,
      response: issuedKey,
      secretFields: ['apiKey'],
      problems: ['limit-exceeded'],
      handle: ({ params, body }) => tenants.issueKey(params.id, body.label),
    }),
    route({
      method: 'PUT',
      path: '/v1/tenants/:id/plan',
      operationId: 'setTenantPlan',
      summary: 'Put a tenant on a plan (admin key only); a downgrade keeps what it tracks and refuses more',
      tag: 'tenants',
      access: 'admin',
      params: idParams,
      body: z.object({ plan: planNameSchema }),
      status: 200,
      response: rpcAnswerSchema(RANKING_RPC.tenantPlanSet),
      handle: async ({ params, body }) => {
        await tenants.getTenant(params.id);
        const plan = await downstream.call(RANKING_RPC.tenantPlanSet, { tenantId: params.id, ...body });
        profiles.forget(params.id);
        return plan;
      },
    }),
    route({
      method: 'GET',
      path: '/v1/tenant',
      operationId: 'getOwnTenant',
      summary: 'The tenant of the calling key, with its plan and its use of each marketplace today',
      tag: 'api-keys',
      access: 'tenant',
      status: 200,
      response: ownTenantView,
      // Who the caller is must not depend on ranking or the crawler being up. Name and plan change only when an
      // operator changes them: kept in memory for 5 s; the usage, which every crawl moves, for 1 s
      // (TenantProfileCache).
      handle: async ({ tenantId }) => {
        const [profile, usage] = await Promise.all([profiles.get(tenantId), usages.get(tenantId)]);
        return { ...profile, usage };
      },
    }),
    route({
      method: 'GET',
      path: '/v1/api-keys',
      operationId: 'listApiKeys',
      summary: "List the tenant's API keys (never the keys themselves)",
      tag: 'api-keys',
      access: 'tenant',
      query: z.object(pageQuery),
      status: 200,
      response: pageOf(apiKeyView),
      handle: ({ tenantId, query }) => tenants.listKeys(tenantId, query.limit, query.cursor),
    }),
    route({
      method: 'POST',
      path: '/v1/api-keys',
      operationId: 'createApiKey',
      summary: 'Issue another API key (shown once)',
      tag: 'api-keys',
      access: 'tenant',
      body: z.object({ label: label.default('api key') }).default({ label: 'api key' }),
      status: 201,
      response: issuedKey,
      secretFields: ['apiKey'],
      problems: ['limit-exceeded'],
      handle: ({ tenantId, body }) => tenants.issueKey(tenantId, body.label),
    }),
    route({
      method: 'POST',
      path: '/v1/api-keys/:id/rotate',
      operationId: 'rotateApiKey',
      summary: 'Issue a replacement key; the old one stops after graceSeconds (default 0: at once)',
      tag: 'api-keys',
      access: 'tenant',
      params: idParams,
      body: z
        .object({
          graceSeconds: z
            .number()
            .int()
            .min(0)
            .max(7 * 86_400)
            .default(0),
        })
        .default({ graceSeconds: 0 }),
      status: 201,
      response: issuedKey,
      secretFields: ['apiKey'],
      handle: ({ tenantId, params, body }) => tenants.rotate(tenantId, params.id, body.graceSeconds),
    }),
    route({
      method: 'DELETE',
      path: '/v1/api-keys/:id',
      operationId: 'revokeApiKey',
      summary: 'Revoke a key at once',
      tag: 'api-keys',
      access: 'tenant',
      params: idParams,
      status: 204,
      response: null,
      handle: ({ tenantId, params }) => tenants.revoke(tenantId, params.id),
    }),
  ];
}
