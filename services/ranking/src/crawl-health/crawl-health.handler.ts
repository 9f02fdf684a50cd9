import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventEnvelope, EventType } from '@shelfwatch/contracts';
import { HandlerContext } from '@shelfwatch/messaging';
import { CrawlHealthService } from './crawl-health.service';

/** Failed crawls in, keyword crawl health out (completed crawls arrive through the rankings handler). */
@Controller()
export class CrawlHealthHandler {
  constructor(private readonly health: CrawlHealthService) {}

  @EventPattern<EventType>('crawl.failed')
  onCrawlFailed(@Payload() event: EventEnvelope<'crawl.failed'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.health.failed(event, ctx);
  }
}
