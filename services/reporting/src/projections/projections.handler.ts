import { Injectable } from '@nestjs/common';
import { EventEnvelope } from '@shelfwatch/contracts';
import { HandlerContext, OnEvent } from '@shelfwatch/messaging';
import { project } from './projector';
import { RecordedCrawlBatches } from './recorded-batch';

/**
 * Feeds the read models from the TRACKING, CRAWL, RANKING and ALERT streams (one inbox transaction per batch);
 * the recorded crawls of a transaction are projected together just before it commits.
 */
@Injectable()
export class ProjectionsHandler {
  private readonly recorded = new RecordedCrawlBatches();

  @OnEvent('tracking.product.added')
  onProductAdded(event: EventEnvelope<'tracking.product.added'>, ctx: HandlerContext): Promise<void> {
    return project(ctx.em, event);
  }

  @OnEvent('tracking.product.removed')
  onProductRemoved(event: EventEnvelope<'tracking.product.removed'>, ctx: HandlerContext): Promise<void> {
    return project(ctx.em, event);
  }

  @OnEvent('tracking.keyword.added')
  onKeywordAdded(event: EventEnvelope<'tracking.keyword.added'>, ctx: HandlerContext): Promise<void> {
    return project(ctx.em, event);
  }

  @OnEvent('tracking.keyword.removed')
  onKeywordRemoved(event: EventEnvelope<'tracking.keyword.removed'>, ctx: HandlerContext): Promise<void> {
    return project(ctx.em, event);
  }

  @OnEvent('crawl.requested')
  onCrawlRequested(event: EventEnvelope<'crawl.requested'>, ctx: HandlerContext): Promise<void> {
    return project(ctx.em, event);
  }

  @OnEvent('crawl.started')
  onCrawlStarted(event: EventEnvelope<'crawl.started'>, ctx: HandlerContext): Promise<void> {
    return project(ctx.em, event);
  }

  @OnEvent('crawl.completed')
  onCrawlCompleted(event: EventEnvelope<'crawl.completed'>, ctx: HandlerContext): Promise<void> {
    return project(ctx.em, event);
  }

  @OnEvent('crawl.failed')
  onCrawlFailed(event: EventEnvelope<'crawl.failed'>, ctx: HandlerContext): Promise<void> {
    return project(ctx.em, event);
  }

  @OnEvent('ranking.recorded')
  onRankingRecorded(event: EventEnvelope<'ranking.recorded'>, ctx: HandlerContext): Promise<void> {
    return this.recorded.collect(event, ctx);
  }

  @OnEvent('alert.raised')
  onAlertRaised(event: EventEnvelope<'alert.raised'>, ctx: HandlerContext): Promise<void> {
    return project(ctx.em, event);
  }

  @OnEvent('alert.resolved')
  onAlertResolved(event: EventEnvelope<'alert.resolved'>, ctx: HandlerContext): Promise<void> {
    return project(ctx.em, event);
  }
}
