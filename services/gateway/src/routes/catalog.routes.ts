import {
  RANKING_RPC,
  rankingExclusionAddRequest,
  rankingKeywordAddRequest,
  rankingKeywordChanges,
  rankingProductChanges,
  rankingProductCreateBody,
  rpcAnswerSchema,
} from '@shelfwatch/contracts';
import { z } from 'zod';
import { Downstream } from '../downstream/downstream';
import { idParams, pageQuery } from '../http/http-schemas';
import { AnyRoute, answerWith, route } from '../http/route';

const noScope = { tenantId: true, correlationId: true } as const;
const keywordParams = z.object({ id: z.uuid(), keywordId: z.uuid() });
const latestQuery = z.object({
  fromRank: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('The `nextRank` of the previous answer: the shelf is cut when it would not fit in one answer'),
});

/** Products, their keywords, exclusions and the latest ranking of a keyword: the ranking service's catalog. */
export function catalogRoutes(downstream: Downstream): AnyRoute[] {
  return [
    route({
      method: 'POST',
      path: '/v1/products',
      operationId: 'createProduct',
      summary: 'Track a product (optionally with keywords)',
      tag: 'products',
      access: 'tenant',
      body: rankingProductCreateBody,
      status: 201,
      response: rpcAnswerSchema(RANKING_RPC.productCreate),
      problems: ['conflict', 'limit-exceeded'],
      handle: ({ tenantId, body }) => downstream.call(RANKING_RPC.productCreate, { ...body, tenantId }),
    }),
    route({
      method: 'GET',
      path: '/v1/products',
      operationId: 'listProducts',
      summary: 'List products with, per keyword, current rank, rank change, lowest competitor price, last crawl',
      tag: 'products',
      access: 'tenant',
      query: z.object(pageQuery),
      status: 200,
      response: rpcAnswerSchema(RANKING_RPC.productList),
      cached: true,
      handle: ({ tenantId, query }) => downstream.call(RANKING_RPC.productList, { ...query, tenantId }),
    }),
    route({
      method: 'GET',
      path: '/v1/products/:id',
      operationId: 'getProduct',
      summary: 'One product with its keywords and standings',
      tag: 'products',
      access: 'tenant',
      params: idParams,
      status: 200,
      response: rpcAnswerSchema(RANKING_RPC.productGet),
      handle: ({ tenantId, params }) => downstream.call(RANKING_RPC.productGet, { tenantId, productId: params.id }),
    }),
    route({
      method: 'PATCH',
      path: '/v1/products/:id',
      operationId: 'updateProduct',
      summary: 'Rename or reprice a product',
      tag: 'products',
      access: 'tenant',
      params: idParams,
      body: rankingProductChanges,
      status: 200,
      response: rpcAnswerSchema(RANKING_RPC.productUpdate),
      handle: ({ tenantId, params, body }) =>
        downstream.call(RANKING_RPC.productUpdate, { ...body, tenantId, productId: params.id }),
    }),
    route({
      method: 'DELETE',
      path: '/v1/products/:id',
      operationId: 'deleteProduct',
      summary: 'Stop tracking a product (its history stays)',
      tag: 'products',
      access: 'tenant',
      params: idParams,
      status: 204,
      response: null,
      handle: ({ tenantId, params }) => downstream.call(RANKING_RPC.productDelete, { tenantId, productId: params.id }),
    }),
    route({
      method: 'POST',
      path: '/v1/products/:id/keywords',
      operationId: 'addProductKeyword',
      summary: 'Attach a keyword to a product (200 when it already had it)',
      tag: 'keywords',
      access: 'tenant',
      params: idParams,
      body: rankingKeywordAddRequest.omit({ ...noScope, productId: true }),
      status: 201,
      problems: ['limit-exceeded'],
      response: rpcAnswerSchema(RANKING_RPC.keywordAdd),
      handle: async ({ tenantId, params, body }) => {
        const attached = await downstream.call(RANKING_RPC.keywordAdd, {
          ...body,
          tenantId,
          productId: params.id,
        });
        return answerWith(attached.created ? 201 : 200, attached);
      },
    }),
    route({
      method: 'DELETE',
      path: '/v1/products/:id/keywords/:keywordId',
      operationId: 'removeProductKeyword',
      summary: 'Detach a keyword from a product',
      tag: 'keywords',
      access: 'tenant',
      params: keywordParams,
      status: 204,
      response: null,
      handle: ({ tenantId, params }) =>
        downstream.call(RANKING_RPC.keywordRemove, { tenantId, productId: params.id, keywordId: params.keywordId }),
    }),
    route({
      method: 'GET',
      path: '/v1/keywords',
      operationId: 'listKeywords',
      summary: "List the tenant's keywords (or one product's)",
      tag: 'keywords',
      access: 'tenant',
      query: z.object({ ...pageQuery, productId: z.uuid().optional() }),
      status: 200,
      response: rpcAnswerSchema(RANKING_RPC.keywordList),
      handle: ({ tenantId, query }) => downstream.call(RANKING_RPC.keywordList, { ...query, tenantId }),
    }),
    route({
      method: 'PATCH',
      path: '/v1/keywords/:id',
      operationId: 'updateKeyword',
      summary:
        "Change a keyword's crawl interval (not below the plan's minimum) or pause/resume it; it keeps its id and history",
      tag: 'keywords',
      access: 'tenant',
      params: idParams,
      body: rankingKeywordChanges,
      status: 200,
      response: rpcAnswerSchema(RANKING_RPC.keywordUpdate),
      handle: ({ tenantId, params, body }) =>
        downstream.call(RANKING_RPC.keywordUpdate, { ...body, tenantId, keywordId: params.id }),
    }),
    route({
      method: 'GET',
      path: '/v1/keywords/:id/rankings/latest',
      operationId: 'getLatestRanking',
      summary: 'The latest recorded crawl of a keyword: standings of tracked products and the whole shelf',
      tag: 'rankings',
      access: 'tenant',
      params: idParams,
      query: latestQuery,
      status: 200,
      response: rpcAnswerSchema(RANKING_RPC.keywordLatest),
      handle: ({ tenantId, params, query }) =>
        downstream.call(RANKING_RPC.keywordLatest, { ...query, tenantId, keywordId: params.id }),
    }),
    route({
      method: 'POST',
      path: '/v1/exclusions',
      operationId: 'createExclusion',
      summary: 'Exclude a marketplace product or a mall from the competitors',
      tag: 'exclusions',
      access: 'tenant',
      body: rankingExclusionAddRequest.omit(noScope),
      status: 201,
      response: rpcAnswerSchema(RANKING_RPC.exclusionAdd),
      problems: ['conflict'],
      handle: ({ tenantId, body }) => downstream.call(RANKING_RPC.exclusionAdd, { ...body, tenantId }),
    }),
    route({
      method: 'GET',
      path: '/v1/exclusions',
      operationId: 'listExclusions',
      summary: 'List exclusions',
      tag: 'exclusions',
      access: 'tenant',
      query: z.object(pageQuery),
      status: 200,
      response: rpcAnswerSchema(RANKING_RPC.exclusionList),
      handle: ({ tenantId, query }) => downstream.call(RANKING_RPC.exclusionList, { ...query, tenantId }),
    }),
    route({
      method: 'DELETE',
      path: '/v1/exclusions/:id',
      operationId: 'deleteExclusion',
      summary: 'Remove an exclusion',
      tag: 'exclusions',
      access: 'tenant',
      params: idParams,
      status: 204,
      response: null,
      handle: ({ tenantId, params }) =>
        downstream.call(RANKING_RPC.exclusionDelete, { tenantId, exclusionId: params.id }),
    }),
  ];
}
