import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventEnvelope, EventType } from '@shelfwatch/contracts';
import { CLOCK, Clock, HandlerContext } from '@shelfwatch/messaging';
import { PurgeGuard } from '@shelfwatch/platform';
import { RankingPurge } from './ranking-purge';

/**
 * Answers the retention service's purge requests for ranking rows; other kinds belong to other services.
 * A request the current policy or the floor does not allow is refused (acknowledged, nothing deleted).
 */
@Controller()
export class RankingRetentionHandler {
  constructor(
    private readonly purge: RankingPurge,
    private readonly guard: PurgeGuard,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @EventPattern<EventType>('retention.purge.requested')
  async onPurgeRequested(
    @Payload() event: EventEnvelope<'retention.purge.requested'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    const { sweepId, dataKind } = event.data;
    if (dataKind !== 'ranking_rows' || !(await this.guard.allows(dataKind, event.data))) {
      return;
    }
    const report = await this.purge.purge(event.data, this.clock.now());
    await ctx.emit('retention.purge.completed', { sweepId, dataKind, service: 'ranking', ...report }, dataKind);
  }
}
