import { EntityManager } from '@mikro-orm/postgresql';
import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventEnvelope, EventType } from '@shelfwatch/contracts';
import { CLOCK, Clock, HandlerContext } from '@shelfwatch/messaging';
import { firstDueAt } from './schedule.policy';
import { KeywordState, ScheduleStore } from './schedule.store';
import { isNewer, reschedule } from './schedule.rules';

/** New keywords are first crawled within this window (or their interval, if shorter). */
const FIRST_CRAWL_SPREAD_MS = 5 * 60_000;

/**
 * Projects `tracking.*` events into the crawler's schedule. Events of one keyword may arrive out of order
 * (a redelivery after a failure): each carries the keyword's version, and one not newer than what was
 * applied (to the link it names, or to the keyword's state) changes nothing. Removed links and products
 * leave tombstones, so a late `added` cannot schedule a keyword again.
 */
@Controller()
export class ScheduleProjection {
  constructor(
    private readonly store: ScheduleStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @EventPattern<EventType>('tracking.product.added')
  async onProductAdded(
    @Payload() event: EventEnvelope<'tracking.product.added'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    const { productId, marketplace, externalId, version } = event.data;
    await this.store.lock(ctx.em, 'product', productId);
    const applied = await this.store.productVersion(ctx.em, productId);
    if (applied.removed || !isNewer(version, applied.version)) {
      return;
    }
    const product = { productId, tenantId: event.tenantId, marketplace, externalId, version: version ?? 0 };
    await this.store.upsertProduct(ctx.em, product);
  }

  @EventPattern<EventType>('tracking.product.removed')
  async onProductRemoved(
    @Payload() event: EventEnvelope<'tracking.product.removed'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    const { productId, version } = event.data;
    await this.store.lock(ctx.em, 'product', productId);
    await this.store.removeProduct(ctx.em, productId, version ?? 0, this.clock.now());
  }

  @EventPattern<EventType>('tracking.keyword.added')
  async onKeywordAdded(
    @Payload() event: EventEnvelope<'tracking.keyword.added'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    const { keywordId, keyword, marketplace, intervalMinutes, productId, version } = event.data;
    const { em } = ctx;
    await this.store.lock(em, 'keyword', keywordId);
    await this.store.lock(em, 'product', productId);
    const product = await this.store.productVersion(em, productId);
    if (product.removed || !isNewer(version, await this.store.linkVersion(em, keywordId, productId))) {
      return;
    }
    const state = await this.applyState(em, keywordId, event.tenantId, {
      intervalMinutes,
      paused: event.data.paused ?? false,
      version: version ?? 0,
    });
    if (!(await this.store.schedule(em, keywordId))) {
      const due = firstDueAt(this.clock.now(), state.intervalMinutes, FIRST_CRAWL_SPREAD_MS, Math.random);
      // A keyword's site never changes (it is part of the keyword's identity at the ranking).
      const row = {
        keywordId,
        tenantId: event.tenantId,
        marketplace,
        site: event.data.site ?? null,
        text: keyword,
        ...state,
      };
      await this.store.insertSchedule(em, row, due);
    }
    await this.store.linkProduct(em, keywordId, productId, version ?? 0);
  }

  @EventPattern<EventType>('tracking.keyword.removed')
  async onKeywordRemoved(
    @Payload() event: EventEnvelope<'tracking.keyword.removed'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    const { keywordId, productId, version } = event.data;
    await this.store.lock(ctx.em, 'keyword', keywordId);
    if (!isNewer(version, await this.store.linkVersion(ctx.em, keywordId, productId))) {
      return;
    }
    await this.store.unlinkProduct(ctx.em, keywordId, productId, version ?? 0, this.clock.now());
  }

  @EventPattern<EventType>('tracking.keyword.updated')
  async onKeywordUpdated(
    @Payload() event: EventEnvelope<'tracking.keyword.updated'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    const { keywordId, intervalMinutes, paused, version } = event.data;
    await this.store.lock(ctx.em, 'keyword', keywordId);
    await this.applyState(ctx.em, keywordId, event.tenantId, { intervalMinutes, paused, version });
  }

  @EventPattern<EventType>('tracking.tenant.plan.changed')
  async onPlanChanged(
    @Payload() event: EventEnvelope<'tracking.tenant.plan.changed'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    const { plan, shareWeight, version } = event.data;
    await this.store.saveTenantPlan(ctx.em, { tenantId: event.tenantId, plan, shareWeight, version });
  }

  /**
   * Applies a keyword's interval and pause when their version is newer than the state's, rescheduling
   * the keyword if it is scheduled; answers the state that holds now.
   */
  private async applyState(
    em: EntityManager,
    keywordId: string,
    tenantId: string,
    incoming: KeywordState,
  ): Promise<KeywordState> {
    const current = await this.store.keywordState(em, keywordId);
    if (current && !isNewer(incoming.version, current.version)) {
      return current;
    }
    await this.store.saveKeywordState(em, keywordId, tenantId, incoming);
    const schedule = await this.store.schedule(em, keywordId);
    if (schedule) {
      await this.store.saveSchedule(em, keywordId, reschedule(schedule, incoming, this.clock.now(), Math.random));
    }
    return incoming;
  }
}
