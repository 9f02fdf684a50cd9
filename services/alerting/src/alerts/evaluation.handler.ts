import { Injectable } from '@nestjs/common';
import { EventEnvelope } from '@shelfwatch/contracts';
import { HandlerContext, OnEvent } from '@shelfwatch/messaging';
import { AlertEvaluator } from './alert-evaluator';

/** Ranking and tracking events in, alert changes out. */
@Injectable()
export class EvaluationHandler {
  constructor(private readonly evaluator: AlertEvaluator) {}

  @OnEvent('ranking.recorded')
  onRankingRecorded(event: EventEnvelope<'ranking.recorded'>, ctx: HandlerContext): Promise<void> {
    return this.evaluator.onRecorded(event, ctx);
  }

  @OnEvent('tracking.product.removed')
  onProductRemoved(event: EventEnvelope<'tracking.product.removed'>, ctx: HandlerContext): Promise<void> {
    return this.evaluator.onUntracked(event, ctx);
  }

  @OnEvent('tracking.keyword.removed')
  onKeywordRemoved(event: EventEnvelope<'tracking.keyword.removed'>, ctx: HandlerContext): Promise<void> {
    return this.evaluator.onUntracked(event, ctx, event.data.keywordId);
  }
}
