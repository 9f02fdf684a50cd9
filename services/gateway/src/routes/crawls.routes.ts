import { CRAWLER_RPC, RpcAnswer, crawlStatusSchema, crawlerCrawlRequest, rpcAnswerSchema } from '@shelfwatch/contracts';
import { z } from 'zod';
import { Downstream } from '../downstream/downstream';
import { idParams, pageQuery } from '../http/http-schemas';
import { AnyRoute, route } from '../http/route';
import { ProductCrawls, crawlProduct } from './product-crawls';

const crawlRequestBody = z.union([
  crawlerCrawlRequest.pick({ keywordId: true }).strict(),
  z.object({ productId: z.uuid() }).strict(),
]);

const crawlRequested = z.union([
  rpcAnswerSchema(CRAWLER_RPC.crawlRequest),
  z.object({
    crawls: z.array(z.object({ keywordId: z.uuid(), crawlId: z.uuid() })),
    alreadyRunning: z.array(z.uuid()).describe('Keywords of the product that were already being crawled'),
  }),
]);

/** Crawls on demand and their runs: the crawler service. */
export function crawlsRoutes(downstream: Downstream): AnyRoute[] {
  return [
    route({
      method: 'POST',
      path: '/v1/crawls',
      operationId: 'requestCrawl',
      summary: 'Crawl a keyword now, or every keyword of a product (409 while the keyword is being crawled)',
      tag: 'crawls',
      access: 'tenant',
      body: crawlRequestBody,
      status: 202,
      response: crawlRequested,
      problems: ['crawl-already-running', 'conflict'],
      handle: ({ tenantId, body }): Promise<RpcAnswer<typeof CRAWLER_RPC.crawlRequest> | ProductCrawls> =>
        'keywordId' in body
          ? downstream.call(CRAWLER_RPC.crawlRequest, { tenantId, keywordId: body.keywordId })
          : crawlProduct(downstream, tenantId, body.productId),
    }),
    route({
      method: 'GET',
      path: '/v1/crawls',
      operationId: 'listCrawls',
      summary: 'List crawl runs, newest first',
      tag: 'crawls',
      access: 'tenant',
      query: z.object({ ...pageQuery, status: crawlStatusSchema.optional(), keywordId: z.uuid().optional() }),
      status: 200,
      response: rpcAnswerSchema(CRAWLER_RPC.crawlList),
      handle: ({ tenantId, query }) => downstream.call(CRAWLER_RPC.crawlList, { ...query, tenantId }),
    }),
    route({
      method: 'GET',
      path: '/v1/crawls/:id',
      operationId: 'getCrawl',
      summary: 'One crawl run',
      tag: 'crawls',
      access: 'tenant',
      params: idParams,
      status: 200,
      response: rpcAnswerSchema(CRAWLER_RPC.crawlGet),
      handle: ({ tenantId, params }) => downstream.call(CRAWLER_RPC.crawlGet, { tenantId, crawlId: params.id }),
    }),
  ];
}
