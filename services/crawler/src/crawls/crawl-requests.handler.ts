import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CRAWLER_RPC,
  crawlerCrawlGetRequest,
  crawlerCrawlListRequest,
  crawlerCrawlRequest,
  RpcAnswer,
  RpcSendable,
} from '@shelfwatch/contracts';
import { CrawlLoops } from './crawl.loops';

import { CrawlService } from './crawl.service';
import { ContractPipe } from '@shelfwatch/messaging';
import { z } from 'zod';

/** Crawl commands and queries over request/reply (the gateway maps `already_running` to 409). */
@Controller()
export class CrawlRequestsHandler {
  constructor(
    private readonly crawls: CrawlService,
    private readonly loops: CrawlLoops,
  ) {}

  @MessagePattern(CRAWLER_RPC.crawlRequest)
  async request(
    @Payload(new ContractPipe(crawlerCrawlRequest)) { tenantId, keywordId }: z.output<typeof crawlerCrawlRequest>,
  ): Promise<RpcAnswer<'crawler.crawl.request'>> {
    const answer = await this.crawls.requestManual(tenantId, keywordId);
    this.loops.nudge();
    return answer;
  }

  @MessagePattern(CRAWLER_RPC.crawlGet)
  async get(
    @Payload(new ContractPipe(crawlerCrawlGetRequest)) { tenantId, crawlId }: z.output<typeof crawlerCrawlGetRequest>,
  ): Promise<RpcSendable<RpcAnswer<'crawler.crawl.get'>>> {
    return this.crawls.find(tenantId, crawlId);
  }

  @MessagePattern(CRAWLER_RPC.crawlList)
  list(
    @Payload(new ContractPipe(crawlerCrawlListRequest)) input: z.output<typeof crawlerCrawlListRequest>,
  ): Promise<RpcSendable<RpcAnswer<'crawler.crawl.list'>>> {
    return this.crawls.list(input);
  }
}
