import { CRAWLER_RPC, RANKING_RPC, rpcErrorCodeOf } from '@shelfwatch/contracts';
import { RpcRemoteError } from '@shelfwatch/messaging';
import { Downstream } from '../downstream/downstream';

/** What `POST /v1/crawls {productId}` answers: a crawl per keyword, and the keywords already being crawled. */
export interface ProductCrawls {
  crawls: { keywordId: string; crawlId: string }[];
  alreadyRunning: string[];
}

/**
 * Crawls every keyword of a product: the product's keywords from the ranking (not found → 404), one
 * `crawler.crawl.request` each. Throws `already_running` (409) when every keyword is already being crawled.
 */
export async function crawlProduct(
  downstream: Downstream,
  tenantId: string,
  productId: string,
): Promise<ProductCrawls> {
  // Existence and ownership first: a foreign product is a 404 even if it has no keywords.
  await downstream.call(RANKING_RPC.productGet, { tenantId, productId });
  const keywords = await downstream.call(RANKING_RPC.keywordList, {
    tenantId,
    productId,
    limit: 100,
  });
  const result: ProductCrawls = { crawls: [], alreadyRunning: [] };
  for (const keyword of keywords.items) {
    try {
      const { crawlId } = await downstream.call(CRAWLER_RPC.crawlRequest, {
        tenantId,
        keywordId: keyword.id,
      });
      result.crawls.push({ keywordId: keyword.id, crawlId });
    } catch (error) {
      if (!(error instanceof RpcRemoteError && rpcErrorCodeOf(CRAWLER_RPC.crawlRequest, error) === 'already_running')) {
        throw error;
      }
      result.alreadyRunning.push(keyword.id);
    }
  }
  if (result.crawls.length === 0) {
    throw new RpcRemoteError(
      result.alreadyRunning.length > 0 ? 'already_running' : 'conflict',
      result.alreadyRunning.length > 0
        ? `every keyword of product ${productId} is already being crawled`
        : `product ${productId} has no keywords to crawl`,
    );
  }
  return result;
}
