import { Injectable } from '@nestjs/common';
import { EventEnvelope } from '@shelfwatch/contracts';
import { HandlerContext, OnEvent } from '@shelfwatch/messaging';
import { CrawlHealthService } from './crawl-health.service';

/** Failed crawls in, keyword crawl health out (completed crawls arrive through the rankings handler). */
@Injectable()
export class CrawlHealthHandler {
  constructor(private readonly health: CrawlHealthService) {}

  @OnEvent('crawl.failed')
  onCrawlFailed(event: EventEnvelope<'crawl.failed'>, ctx: HandlerContext): Promise<void> {
    return this.health.failed(event, ctx);
  }
}
