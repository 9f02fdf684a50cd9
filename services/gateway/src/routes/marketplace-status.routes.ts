import { CRAWLER_MARKETPLACE_RPC, rpcAnswerSchema } from '@shelfwatch/contracts';
import { Downstream } from '../downstream/downstream';
import { AnyRoute, route } from '../http/route';

/** The marketplaces a tenant can use and how each is doing: the crawler service. */
export function marketplaceStatusRoutes(downstream: Downstream): AnyRoute[] {
  return [
    route({
      method: 'GET',
      path: '/v1/marketplaces',
      operationId: 'listMarketplaces',
      summary: 'List the marketplaces you can use: what each can do, the credentials your crawls use, its status',
      tag: 'marketplaces',
      access: 'tenant',
      status: 200,
      response: rpcAnswerSchema(CRAWLER_MARKETPLACE_RPC.list),
      handle: ({ tenantId }) => downstream.call(CRAWLER_MARKETPLACE_RPC.list, { tenantId }),
    }),
  ];
}
