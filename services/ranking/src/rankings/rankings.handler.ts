import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { EventEnvelope, EventType, RANKING_RPC, rankingKeywordLatestRequest, RpcAnswer } from '@shelfwatch/contracts';
import { ContractPipe, HandlerContext } from '@shelfwatch/messaging';
import { CrawlHealthService } from '../crawl-health/crawl-health.service';

import { RankingsService } from './rankings.service';
import { z } from 'zod';

/** Completed crawls in, recorded rankings out; and the latest ranking of a keyword on request. */
@Controller()
export class RankingsHandler {
  constructor(
    private readonly rankings: RankingsService,
    private readonly crawlHealth: CrawlHealthService,
  ) {}

  @EventPattern<EventType>('crawl.completed')
  async onCrawlCompleted(
    @Payload() event: EventEnvelope<'crawl.completed'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    await this.crawlHealth.completed(event, ctx);
    return this.rankings.record(event, ctx);
  }

  @MessagePattern(RANKING_RPC.keywordLatest)
  latest(
    @Payload(new ContractPipe(rankingKeywordLatestRequest)) input: z.output<typeof rankingKeywordLatestRequest>,
  ): Promise<RpcAnswer<'ranking.keyword.latest'>> {
    return this.rankings.latest(input);
  }
}
