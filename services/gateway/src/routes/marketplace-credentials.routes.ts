import { CRAWLER_RPC, crawlerCredentialsFields, marketplaceId, rpcAnswerSchema } from '@shelfwatch/contracts';
import { z } from 'zod';
import { Downstream } from '../downstream/downstream';
import { AnyRoute, route } from '../http/route';

/** `:marketplace` of a route; an unknown one is a 400 listing the known ones. */
const marketplaceParams = z.object({ marketplace: marketplaceId });

/** A tenant's own marketplace credentials: the crawler service checks, seals and uses them. */
export function marketplaceCredentialsRoutes(downstream: Downstream): AnyRoute[] {
  return [
    route({
      method: 'PUT',
      path: '/v1/marketplaces/:marketplace/credentials',
      operationId: 'putMarketplaceCredentials',
      summary:
        'Use your own marketplace credentials for your crawls: checked with one live search, stored encrypted, never shown again',
      tag: 'marketplaces',
      access: 'tenant',
      params: marketplaceParams,
      // A missing clientSecret is refused by the crawler, for every marketplace but Rakuten, naming the field.
      body: crawlerCredentialsFields.strict(),
      status: 200,
      response: rpcAnswerSchema(CRAWLER_RPC.credentialsPut),
      problems: ['credentials-rejected', 'credentials-unverified'],
      // Never in an answer; listed so that no stored answer could ever hold them.
      secretFields: ['clientId', 'clientSecret'],
      handle: ({ tenantId, params, body }) =>
        downstream.call(CRAWLER_RPC.credentialsPut, { ...body, ...params, tenantId }),
    }),
    route({
      method: 'DELETE',
      path: '/v1/marketplaces/:marketplace/credentials',
      operationId: 'deleteMarketplaceCredentials',
      summary: 'Forget your own marketplace credentials: your crawls use the platform’s again (404 when none)',
      tag: 'marketplaces',
      access: 'tenant',
      params: marketplaceParams,
      status: 204,
      response: null,
      handle: ({ tenantId, params }) => downstream.call(CRAWLER_RPC.credentialsDelete, { ...params, tenantId }),
    }),
  ];
}
