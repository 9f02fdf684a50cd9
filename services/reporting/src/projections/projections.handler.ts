import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventEnvelope, EventType } from '@shelfwatch/contracts';
import { HandlerContext } from '@shelfwatch/messaging';
import { Projector } from './projector';
import { ProjectionBatches } from './projection-batches';

/**
 * Feeds the read models from the TRACKING, CRAWL, RANKING and ALERT streams (one inbox transaction per batch); the
 * events of a transaction are projected together just before it commits (projection-batches.ts).
 */
@Controller()
export class ProjectionsHandler {
  private readonly batches: ProjectionBatches;

  constructor(projector: Projector) {
    this.batches = new ProjectionBatches(projector);
  }

  @EventPattern<EventType>('tracking.product.added')
  onProductAdded(@Payload() event: EventEnvelope<'tracking.product.added'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.batches.collect(event, ctx);
  }

  @EventPattern<EventType>('tracking.product.removed')
  onProductRemoved(
    @Payload() event: EventEnvelope<'tracking.product.removed'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    return this.batches.collect(event, ctx);
  }

  @EventPattern<EventType>('tracking.keyword.added')
  onKeywordAdded(@Payload() event: EventEnvelope<'tracking.keyword.added'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.batches.collect(event, ctx);
  }

  @EventPattern<EventType>('tracking.keyword.removed')
  onKeywordRemoved(
    @Payload() event: EventEnvelope<'tracking.keyword.removed'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    return this.batches.collect(event, ctx);
  }

  @EventPattern<EventType>('crawl.requested')
  onCrawlRequested(@Payload() event: EventEnvelope<'crawl.requested'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.batches.collect(event, ctx);
  }

  @EventPattern<EventType>('crawl.started')
  onCrawlStarted(@Payload() event: EventEnvelope<'crawl.started'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.batches.collect(event, ctx);
  }

  @EventPattern<EventType>('crawl.completed')
  onCrawlCompleted(@Payload() event: EventEnvelope<'crawl.completed'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.batches.collect(event, ctx);
  }

  @EventPattern<EventType>('crawl.failed')
  onCrawlFailed(@Payload() event: EventEnvelope<'crawl.failed'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.batches.collect(event, ctx);
  }

  @EventPattern<EventType>('ranking.recorded')
  onRankingRecorded(@Payload() event: EventEnvelope<'ranking.recorded'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.batches.collect(event, ctx);
  }

  @EventPattern<EventType>('alert.raised')
  onAlertRaised(@Payload() event: EventEnvelope<'alert.raised'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.batches.collect(event, ctx);
  }

  @EventPattern<EventType>('alert.resolved')
  onAlertResolved(@Payload() event: EventEnvelope<'alert.resolved'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.batches.collect(event, ctx);
  }
}
