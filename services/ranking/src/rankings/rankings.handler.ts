import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { EventEnvelope, EventType, RANKING_RPC, rankingKeywordLatestRequest } from '@shelfwatch/contracts';
import { HandlerContext } from '@shelfwatch/messaging';
import { CrawlHealthService } from '../crawl-health/crawl-health.service';
import { answer } from '../ranking.rpc';
import { LatestRanking } from './rankings.queries';
import { RankingsService } from './rankings.service';

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
  latest(@Payload() payload: unknown): Promise<LatestRanking> {
    return answer(rankingKeywordLatestRequest, payload, (input) => this.rankings.latest(input));
  }
}
