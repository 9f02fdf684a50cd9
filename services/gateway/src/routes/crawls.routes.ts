import {
  CRAWLER_RPC,
  CrawlerCrawlRequested,
  CrawlerCrawlView,
  Page,
  crawlStatusSchema,
  crawlerCrawlRequest,
} from '@shelfwatch/contracts';
import { z } from 'zod';
import { Downstream } from '../downstream/downstream';
import { idParams, isoDate, pageOf, pageQuery } from '../http/http-schemas';
import { AnyRoute, route } from '../http/route';
import { ProductCrawls, crawlProduct } from './product-crawls';

const crawlView = z
  .object({
    crawlId: z.uuid(),
    tenantId: z.uuid(),
    keywordId: z.uuid(),
    trigger: z.enum(['schedule', 'manual']),
    status: crawlStatusSchema,
    requestedAt: isoDate,
    startedAt: isoDate.nullable(),
    finishedAt: isoDate.nullable(),
    pagesFetched: z.number().int().nullable(),
    itemCount: z.number().int().nullable(),
    failureCode: z.string().nullable(),
    failureMessage: z.string().nullable(),
    correlationId: z.uuid(),
    traceparent: z.string().nullable(),
    attempts: z
      .number()
      .int()
      .nonnegative()
      .describe('Attempts started so far; more than 1 when the crawl was retried'),
    nextAttemptAt: isoDate.nullable().describe('When a crawl waiting for a retry is tried again'),
  })
  .meta({ id: 'Crawl' }) satisfies z.ZodType<CrawlerCrawlView>;

const crawlRequestBody = z.union([
  crawlerCrawlRequest.pick({ keywordId: true }).strict(),
  z.object({ productId: z.uuid() }).strict(),
]);

const crawlRequested = z.union([
  z.object({ crawlId: z.uuid() }),
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
      handle: ({ tenantId, body }): Promise<CrawlerCrawlRequested | ProductCrawls> =>
        'keywordId' in body
          ? downstream.call<CrawlerCrawlRequested>(CRAWLER_RPC.crawlRequest, { tenantId, keywordId: body.keywordId })
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
      response: pageOf(crawlView),
      handle: ({ tenantId, query }) =>
        downstream.call<Page<CrawlerCrawlView>>(CRAWLER_RPC.crawlList, { ...query, tenantId }),
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
      response: crawlView,
      handle: ({ tenantId, params }) =>
        downstream.call<CrawlerCrawlView>(CRAWLER_RPC.crawlGet, { tenantId, crawlId: params.id }),
    }),
  ];
}
