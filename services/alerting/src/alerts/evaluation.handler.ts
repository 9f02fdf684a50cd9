import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventEnvelope, EventType } from '@shelfwatch/contracts';
import { HandlerContext } from '@shelfwatch/messaging';
import { AlertEvaluator } from './alert-evaluator';

/** Ranking and tracking events in, alert changes out. */
@Controller()
export class EvaluationHandler {
  constructor(private readonly evaluator: AlertEvaluator) {}

  @EventPattern<EventType>('ranking.recorded')
  onRankingRecorded(@Payload() event: EventEnvelope<'ranking.recorded'>, @Ctx() ctx: HandlerContext): Promise<void> {
    return this.evaluator.onRecorded(event, ctx);
  }

  @EventPattern<EventType>('tracking.product.removed')
  onProductRemoved(
    @Payload() event: EventEnvelope<'tracking.product.removed'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    return this.evaluator.onUntracked(event, ctx);
  }

  @EventPattern<EventType>('tracking.keyword.removed')
  onKeywordRemoved(
    @Payload() event: EventEnvelope<'tracking.keyword.removed'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    return this.evaluator.onUntracked(event, ctx, event.data.keywordId);
  }
}
