import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope } from '@shelfwatch/contracts';
import { CLOCK, Clock, HandlerContext, OnEvent } from '@shelfwatch/messaging';
import { PurgeGuard } from '@shelfwatch/persistence';
import { RankingPurge } from './ranking-purge';

/**
 * Answers the retention service's purge requests for ranking rows; other kinds belong to other services.
 * A request the current policy or the floor does not allow is refused (acknowledged, nothing deleted).
 */
@Injectable()
export class RankingRetentionHandler {
  constructor(
    private readonly purge: RankingPurge,
    private readonly guard: PurgeGuard,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnEvent('retention.purge.requested')
  async onPurgeRequested(event: EventEnvelope<'retention.purge.requested'>, ctx: HandlerContext): Promise<void> {
    const { sweepId, dataKind } = event.data;
    if (dataKind !== 'ranking_rows' || !(await this.guard.allows(dataKind, event.data))) {
      return;
    }
    const report = await this.purge.purge(event.data, this.clock.now());
    await ctx.emit('retention.purge.completed', { sweepId, dataKind, service: 'ranking', ...report }, dataKind);
  }
}
