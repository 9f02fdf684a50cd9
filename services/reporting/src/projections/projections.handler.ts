import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventEnvelope, EventType } from '@shelfwatch/contracts';
import { HandlerContext } from '@shelfwatch/messaging';
import { Projector } from './projector';
import { RecordedCrawlBatches } from './recorded-batch';

/**
 * Feeds the read models from the TRACKING, CRAWL, RANKING and ALERT streams (one inbox transaction per batch);
 * the recorded crawls of a transaction are projected together just before it commits.
 */
@Controller()
export class ProjectionsHandler {
  private readonly recorded: RecordedCrawlBatches;

  constructor(private readonly projector: Projector) {
    this.recorded = new RecordedCrawlBatches(projector);
  }

  @EventPattern<EventType>('tracking.product.added')
  onProductAdded(@Payload() event: EventEnvelope<'tracking.product.added'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.projector.project(ctx.em, event);
  }

  @EventPattern<EventType>('tracking.product.removed')
  onProductRemoved(
    @Payload() event: EventEnvelope<'tracking.product.removed'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    return this.projector.project(ctx.em, event);
  }

  @EventPattern<EventType>('tracking.keyword.added')
  onKeywordAdded(@Payload() event: EventEnvelope<'tracking.keyword.added'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.projector.project(ctx.em, event);
  }

  @EventPattern<EventType>('tracking.keyword.removed')
  onKeywordRemoved(
    @Payload() event: EventEnvelope<'tracking.keyword.removed'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    return this.projector.project(ctx.em, event);
  }

  @EventPattern<EventType>('crawl.requested')
  onCrawlRequested(@Payload() event: EventEnvelope<'crawl.requested'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.projector.project(ctx.em, event);
  }

  @EventPattern<EventType>('crawl.started')
  onCrawlStarted(@Payload() event: EventEnvelope<'crawl.started'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.projector.project(ctx.em, event);
  }

  @EventPattern<EventType>('crawl.completed')
  onCrawlCompleted(@Payload() event: EventEnvelope<'crawl.completed'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.projector.project(ctx.em, event);
  }

  @EventPattern<EventType>('crawl.failed')
  onCrawlFailed(@Payload() event: EventEnvelope<'crawl.failed'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.projector.project(ctx.em, event);
  }

  @EventPattern<EventType>('ranking.recorded')
  onRankingRecorded(@Payload() event: EventEnvelope<'ranking.recorded'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.recorded.collect(event, ctx);
  }

  @EventPattern<EventType>('alert.raised')
  onAlertRaised(@Payload() event: EventEnvelope<'alert.raised'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.projector.project(ctx.em, event);
  }

  @EventPattern<EventType>('alert.resolved')
  onAlertResolved(@Payload() event: EventEnvelope<'alert.resolved'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.projector.project(ctx.em, event);
  }
}
