import { Injectable } from '@nestjs/common';
import {
  CRAWLER_RPC,
  RpcAnswer,
  RpcSendable,
  crawlerCrawlGetRequest,
  crawlerCrawlListRequest,
  crawlerCrawlRequest,
} from '@shelfwatch/contracts';
import { OnRequest, parseRequest } from '@shelfwatch/messaging';
import { CrawlLoops } from './crawl.loops';
import { CrawlService } from './crawl.service';

/** Crawl commands and queries over request/reply (the gateway maps `already_running` to 409). */
@Injectable()
export class CrawlRequestsHandler {
  constructor(
    private readonly crawls: CrawlService,
    private readonly loops: CrawlLoops,
  ) {}

  @OnRequest(CRAWLER_RPC.crawlRequest)
  async request(payload: unknown): Promise<RpcAnswer<'crawler.crawl.request'>> {
    const { tenantId, keywordId } = parseRequest(crawlerCrawlRequest, payload);
    const answer = await this.crawls.requestManual(tenantId, keywordId);
    this.loops.nudge();
    return answer;
  }

  @OnRequest(CRAWLER_RPC.crawlGet)
  async get(payload: unknown): Promise<RpcSendable<RpcAnswer<'crawler.crawl.get'>>> {
    const { tenantId, crawlId } = parseRequest(crawlerCrawlGetRequest, payload);
    return this.crawls.find(tenantId, crawlId);
  }

  @OnRequest(CRAWLER_RPC.crawlList)
  list(payload: unknown): Promise<RpcSendable<RpcAnswer<'crawler.crawl.list'>>> {
    return this.crawls.list(parseRequest(crawlerCrawlListRequest, payload));
  }
}
