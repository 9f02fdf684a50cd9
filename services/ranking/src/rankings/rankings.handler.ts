import { Injectable } from '@nestjs/common';
import { EventEnvelope, RANKING_RPC, RpcAnswer, rankingKeywordLatestRequest } from '@shelfwatch/contracts';
import { HandlerContext, OnEvent, OnRequest } from '@shelfwatch/messaging';
import { CrawlHealthService } from '../crawl-health/crawl-health.service';
import { answer } from '../ranking.rpc';
import { RankingsService } from './rankings.service';

/** Completed crawls in, recorded rankings out; and the latest ranking of a keyword on request. */
@Injectable()
export class RankingsHandler {
  constructor(
    private readonly rankings: RankingsService,
    private readonly crawlHealth: CrawlHealthService,
  ) {}

  @OnEvent('crawl.completed')
  async onCrawlCompleted(event: EventEnvelope<'crawl.completed'>, ctx: HandlerContext): Promise<void> {
    await this.crawlHealth.completed(event, ctx);
    return this.rankings.record(event, ctx);
  }

  @OnRequest(RANKING_RPC.keywordLatest)
  latest(payload: unknown): Promise<RpcAnswer<'ranking.keyword.latest'>> {
    return answer(rankingKeywordLatestRequest, payload, (input) => this.rankings.latest(input));
  }
}
