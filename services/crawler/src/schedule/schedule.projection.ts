import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope } from '@shelfwatch/contracts';
import { CLOCK, Clock, HandlerContext, OnEvent } from '@shelfwatch/messaging';
import { firstDueAt } from '../crawls/crawl.policy';
import { ScheduleStore } from './schedule.store';

/** New keywords are first crawled within this window (or their interval, if shorter). */
const FIRST_CRAWL_SPREAD_MS = 5 * 60_000;

/** Projects `tracking.*` events into the crawler's schedule. */
@Injectable()
export class ScheduleProjection {
  constructor(
    private readonly store: ScheduleStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnEvent('tracking.product.added')
  async onProductAdded(event: EventEnvelope<'tracking.product.added'>, ctx: HandlerContext): Promise<void> {
    const { productId, marketplace, externalId } = event.data;
    await this.store.upsertProduct(ctx.em, { productId, tenantId: event.tenantId, marketplace, externalId });
  }

  @OnEvent('tracking.product.removed')
  async onProductRemoved(event: EventEnvelope<'tracking.product.removed'>, ctx: HandlerContext): Promise<void> {
    await this.store.removeProduct(ctx.em, event.data.productId);
  }

  @OnEvent('tracking.keyword.added')
  async onKeywordAdded(event: EventEnvelope<'tracking.keyword.added'>, ctx: HandlerContext): Promise<void> {
    const { keywordId, keyword, marketplace, intervalMinutes, productId } = event.data;
    const due = firstDueAt(this.clock.now(), intervalMinutes, FIRST_CRAWL_SPREAD_MS, Math.random);
    await this.store.addKeyword(
      ctx.em,
      { keywordId, tenantId: event.tenantId, marketplace, text: keyword, intervalMinutes, productId },
      due,
    );
  }

  @OnEvent('tracking.keyword.removed')
  async onKeywordRemoved(event: EventEnvelope<'tracking.keyword.removed'>, ctx: HandlerContext): Promise<void> {
    await this.store.removeKeyword(ctx.em, event.data.keywordId, event.data.productId);
  }
}
