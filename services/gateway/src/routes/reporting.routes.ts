import { REPORTING_RPC, reportingBucketSchema, rpcAnswerSchema } from '@shelfwatch/contracts';
import { Clock } from '@shelfwatch/messaging';
import { z } from 'zod';
import { Downstream } from '../downstream/downstream';
import { idParams } from '../http/http-schemas';
import { AnyRoute, route } from '../http/route';
import { exportCsv, rangeQuery, withRange } from './report-range';

const bucket = reportingBucketSchema.default('day');

/** Analytics: dashboard figures, brand share, rank and price history, CSV export (the reporting service). */
export function reportingRoutes(downstream: Downstream, clock: Clock): AnyRoute[] {
  return [
    route({
      method: 'GET',
      path: '/v1/reports/dashboard',
      operationId: 'getDashboard',
      summary: "The tenant's overview: tracked products and keywords, crawls, open alerts, average rank",
      tag: 'reports',
      access: 'tenant',
      status: 200,
      response: rpcAnswerSchema(REPORTING_RPC.dashboard),
      handle: ({ tenantId }) => downstream.call(REPORTING_RPC.dashboard, { tenantId }),
    }),
    route({
      method: 'GET',
      path: '/v1/reports/brands',
      operationId: 'getBrandShare',
      summary: "Brand share of a keyword's top N results, per day and over the range",
      tag: 'reports',
      access: 'tenant',
      query: z.object({
        keywordId: z.uuid(),
        topN: z.coerce.number().int().min(1).max(100).default(10),
        ...rangeQuery,
      }),
      status: 200,
      response: rpcAnswerSchema(REPORTING_RPC.brands),
      handle: ({ tenantId, query }) =>
        downstream.call(REPORTING_RPC.brands, {
          ...withRange(query, 'day', clock.now()),
          tenantId,
        }),
    }),
    route({
      method: 'GET',
      path: '/v1/reports/price-history',
      operationId: 'getPriceHistory',
      summary: 'My price and the lowest competitor price of a product on a keyword, per hour or day',
      tag: 'reports',
      access: 'tenant',
      query: z.object({ productId: z.uuid(), keywordId: z.uuid(), bucket, ...rangeQuery }),
      status: 200,
      response: rpcAnswerSchema(REPORTING_RPC.priceHistory),
      cached: true,
      handle: ({ tenantId, query }) =>
        downstream.call(REPORTING_RPC.priceHistory, {
          ...withRange(query, query.bucket, clock.now()),
          tenantId,
        }),
    }),
    route({
      method: 'GET',
      path: '/v1/products/:id/rank-history',
      operationId: 'getRankHistory',
      summary: "A product's rank per hour or day, one series per keyword (or the one asked for)",
      tag: 'reports',
      access: 'tenant',
      params: idParams,
      query: z.object({ keywordId: z.uuid().optional(), bucket, ...rangeQuery }),
      status: 200,
      response: rpcAnswerSchema(REPORTING_RPC.rankHistory),
      cached: true,
      handle: ({ tenantId, params, query }) =>
        downstream.call(REPORTING_RPC.rankHistory, {
          ...withRange(query, query.bucket, clock.now()),
          tenantId,
          productId: params.id,
        }),
    }),
    route({
      method: 'GET',
      path: '/v1/reports/export.csv',
      operationId: 'exportHistoryCsv',
      summary: 'Rank and price history as CSV, streamed (one line per product, keyword and bucket)',
      tag: 'reports',
      access: 'tenant',
      query: z.object({
        bucket: reportingBucketSchema.default('hour'),
        productId: z.uuid().optional(),
        keywordId: z.uuid().optional(),
        ...rangeQuery,
      }),
      status: 200,
      response: z
        .string()
        .describe(
          'product_id,keyword_id,bucket_start,rank_min,rank_max,rank_last,samples,my_price,lowest_competitor_price,' +
            'price_source (observed: my price as seen on the shelf; catalog: the catalogue price),' +
            'currency (ISO 4217, of both prices),seller_id,availability,review_count,review_rating,placement,' +
            "condition (my product's listing at the bucket's last crawl; empty: not said or not listed)," +
            "order_fidelity (exact, or approximate when the marketplace's order is not the shopper's)",
        ),
      produces: 'text/csv',
      handle: ({ tenantId, query }) =>
        exportCsv(downstream, { ...withRange(query, query.bucket, clock.now()), tenantId }),
    }),
  ];
}
