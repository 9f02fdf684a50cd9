import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, marketplaceCurrency } from '@shelfwatch/contracts';
import { CLOCK, Clock, HandlerContext } from '@shelfwatch/messaging';
import { freshEm } from '@shelfwatch/persistence';
import { SERVICE_LOGGER } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { rankChanges, restateSuccessor } from './rank-changes';
import { RankingsStore } from './rankings.store';
import { LatestRanking, latestRanking } from './latest-ranking.query';
import { computeStandings } from './standings';

/** Turns completed crawls into recorded rankings, and answers what was recorded last. */
@Injectable()
export class RankingsService {
  private readonly logger: Logger;

  constructor(
    private readonly orm: MikroORM,
    private readonly store: RankingsStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: RankingsService.name });
  }

  /**
   * Records a completed crawl inside the handler's transaction (the inbox makes a redelivery a no-op):
   * 1. hold a part of a split result until the last part arrives; 2. find the tenant's keyword (gone:
   * nothing to record) and hold its lock; 3. load products, exclusions, the ranks of the previous crawl by
   * crawl time; 4. compute standings (a shelf price without a currency is in the marketplace's, the site's on
   * eBay); 5. store crawl, rows, standings; 6. emit `ranking.recorded` and `ranking.changed`; 7. a crawl recorded
   * already that follows this one by crawl time is restated against it.
   */
  async record(event: EventEnvelope<'crawl.completed'>, ctx: HandlerContext): Promise<void> {
    const { crawlId, keywordId, completedAt: crawledAt } = event.data;
    const orderFidelity = event.data.orderFidelity ?? 'exact';
    const items = await this.store.assembleCrawl(ctx.em, event.data);
    if (!items) {
      return;
    }
    const keyword = await this.store.findAndLockKeyword(ctx.em, event.tenantId, keywordId);
    if (!keyword) {
      this.logger.info({ crawlId, keywordId, tenantId: event.tenantId }, 'crawl of an unknown keyword ignored');
      return;
    }
    const order = { crawledAt, crawlId };
    const shelf = items.map((item) => item.externalId);
    const context = await this.store.loadRankingContext(ctx.em, keyword, order, shelf);
    const shelfCurrency = marketplaceCurrency(event.data.marketplace, event.data.site);
    const { entries, standings } = computeStandings({ ...context, items, shelfCurrency });
    const recordedAt = this.clock.now().toISOString();
    const recorded = { crawlId, keyword, crawledAt, recordedAt, orderFidelity, items, entries, standings };
    await this.store.saveRecordedCrawl(ctx.em, recorded);
    await ctx.emit(
      'ranking.recorded',
      { crawlId, keywordId, crawledAt, recordedAt, orderFidelity, entries, standings },
      keywordId,
    );
    for (const change of rankChanges({ crawlId, keywordId, orderFidelity }, standings, context.previousRanks)) {
      await ctx.emit('ranking.changed', change, keywordId);
    }
    await this.restateSuccessor(ctx, keywordId, order, new Map(standings.map((s) => [s.productId, s.rank])));
  }

  /** 7. The crawl after `order` by crawl time, if recorded already, now follows this one: restate it. */
  private async restateSuccessor(
    ctx: HandlerContext,
    keywordId: string,
    order: { crawledAt: string; crawlId: string },
    ranks: ReadonlyMap<string, number | null>,
  ): Promise<void> {
    const successor = await this.store.loadSuccessor(ctx.em, keywordId, order);
    if (!successor) {
      return;
    }
    const ref = { crawlId: successor.crawlId, keywordId, orderFidelity: successor.orderFidelity };
    const restated = restateSuccessor(ref, successor.standings, ranks);
    await this.store.saveRestatedStandings(ctx.em, successor.crawlId, restated.standings);
    for (const change of restated.changes) {
      await ctx.emit('ranking.changed', change, keywordId);
    }
    this.logger.info({ crawlId: order.crawlId, successor: successor.crawlId }, 'late crawl: successor restated');
  }

  /** The latest standings and shelf of a tenant's keyword. */
  latest(input: { tenantId: string; keywordId: string; fromRank?: number | undefined }): Promise<LatestRanking> {
    return latestRanking(freshEm(this.orm), input.tenantId, input.keywordId, input.fromRank);
  }
}
