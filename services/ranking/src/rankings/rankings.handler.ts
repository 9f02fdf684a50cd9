import { Injectable } from '@nestjs/common';
import { EventEnvelope } from '@shelfwatch/contracts';
import { HandlerContext, OnEvent, OnRequest } from '@shelfwatch/messaging';
import { z } from 'zod';
import { answer } from '../ranking.rpc';
import { LatestRanking } from './rankings.queries';
import { RankingsService } from './rankings.service';

const latestInput = z.object({ tenantId: z.uuid(), keywordId: z.uuid() });

/** Completed crawls in, recorded rankings out; and the latest ranking of a keyword on request. */
@Injectable()
export class RankingsHandler {
  constructor(private readonly rankings: RankingsService) {}

  @OnEvent('crawl.completed')
  onCrawlCompleted(event: EventEnvelope<'crawl.completed'>, ctx: HandlerContext): Promise<void> {
    return this.rankings.record(event, ctx);
  }

  @OnRequest('ranking.keyword.latest')
  latest(payload: unknown): Promise<LatestRanking> {
    return answer(latestInput, payload, (input) => this.rankings.latest(input));
  }
}
