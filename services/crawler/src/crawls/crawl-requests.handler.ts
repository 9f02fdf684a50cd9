import { Injectable } from '@nestjs/common';
import { OnRequest, parseRequest } from '@shelfwatch/messaging';
import { z } from 'zod';
import { CrawlLoops } from './crawl.loops';
import { CrawlRun } from './crawl.store';
import { CrawlService } from './crawl.service';

const requestCrawl = z.object({ tenantId: z.uuid(), keywordId: z.uuid() });
const getCrawl = z.object({ tenantId: z.uuid(), crawlId: z.uuid() });

/** Crawl commands and queries over request/reply (the gateway maps `already_running` to 409). */
@Injectable()
export class CrawlRequestsHandler {
  constructor(
    private readonly crawls: CrawlService,
    private readonly loops: CrawlLoops,
  ) {}

  @OnRequest('crawler.crawl.request')
  async request(payload: unknown): Promise<{ crawlId: string }> {
    const { tenantId, keywordId } = parseRequest(requestCrawl, payload);
    const answer = await this.crawls.requestManual(tenantId, keywordId);
    this.loops.nudge();
    return answer;
  }

  @OnRequest('crawler.crawl.get')
  async get(payload: unknown): Promise<CrawlRun> {
    const { tenantId, crawlId } = parseRequest(getCrawl, payload);
    return this.crawls.find(tenantId, crawlId);
  }
}
