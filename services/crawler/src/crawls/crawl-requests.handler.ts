import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CRAWLER_RPC,
  CrawlerCrawlRequested,
  Page,
  crawlerCrawlGetRequest,
  crawlerCrawlListRequest,
  crawlerCrawlRequest,
} from '@shelfwatch/contracts';
import { parseRequest } from '@shelfwatch/messaging';
import { CrawlLoops } from './crawl.loops';
import { CrawlRun } from './crawl.store';
import { CrawlService } from './crawl.service';

/** Crawl commands and queries over request/reply (the gateway maps `already_running` to 409). */
@Controller()
export class CrawlRequestsHandler {
  constructor(
    private readonly crawls: CrawlService,
    private readonly loops: CrawlLoops,
  ) {}

  @MessagePattern(CRAWLER_RPC.crawlRequest)
  async request(@Payload() payload: unknown): Promise<CrawlerCrawlRequested> {
    const { tenantId, keywordId } = parseRequest(crawlerCrawlRequest, payload);
    const answer = await this.crawls.requestManual(tenantId, keywordId);
    this.loops.nudge();
    return answer;
  }

  @MessagePattern(CRAWLER_RPC.crawlGet)
  async get(@Payload() payload: unknown): Promise<CrawlRun> {
    const { tenantId, crawlId } = parseRequest(crawlerCrawlGetRequest, payload);
    return this.crawls.find(tenantId, crawlId);
  }

  @MessagePattern(CRAWLER_RPC.crawlList)
  list(@Payload() payload: unknown): Promise<Page<CrawlRun>> {
    return this.crawls.list(parseRequest(crawlerCrawlListRequest, payload));
  }
}
