import { CrawlKeywordOptions, crawlKeyword } from '../marketplaces/crawl-pages';
import { PageSource } from '../marketplaces/marketplace-client';
import { CredentialResolver } from '../marketplaces/marketplace-credentials';
import { CrawledShelf, KeywordCrawler } from './keyword-crawler.port';

/** Paging policy of every crawl. */
export interface PagingPolicy {
  maxPages: number;
  pageSize: number;
  stopWhenAllFound: boolean;
}

/**
 * The crawler's {@link KeywordCrawler}: one client per marketplace, the credentials the resolver picks for the
 * tenant, paging by the configured policy.
 */
export class MarketplaceKeywordCrawler implements KeywordCrawler {
  private readonly clients: ReadonlyMap<string, PageSource>;

  constructor(
    clients: PageSource[],
    private readonly credentials: CredentialResolver,
    private readonly paging: PagingPolicy,
  ) {
    this.clients = new Map(clients.map((client) => [client.marketplace, client]));
  }

  async crawl(request: Parameters<KeywordCrawler['crawl']>[0]): Promise<CrawledShelf> {
    const client = this.clients.get(request.marketplace);
    if (!client) {
      throw Object.assign(new Error(`no adapter for marketplace ${request.marketplace}`), {
        code: 'unknown_marketplace',
      });
    }
    const credential = await this.credentials.resolve(request.tenantId, request.marketplace);
    const options: CrawlKeywordOptions = {
      keyword: request.keyword,
      site: request.site,
      tenantId: request.tenantId,
      credential,
      maxPages: this.paging.maxPages,
      pageSize: this.paging.pageSize,
      trackedExternalIds: request.trackedExternalIds,
      stopWhenAllFound: this.paging.stopWhenAllFound,
      signal: request.signal,
    };
    const shelf = await crawlKeyword(client, options);
    return { ...shelf, orderFidelity: client.capabilities.orderFidelity };
  }
}
