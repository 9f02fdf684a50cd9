import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { EntityManager } from '@mikro-orm/postgresql';
import { EventEnvelope, EventType, RETENTION_RPC, retentionSweepLatestRequest, RpcAnswer } from '@shelfwatch/contracts';
import { CLOCK, Clock, ContractPipe, HandlerContext } from '@shelfwatch/messaging';
import { Logger } from 'pino';
import { freshEm } from '@shelfwatch/persistence';
import { RetentionError } from '../retention.errors';
import { RETENTION_LOGGER } from '../retention.tokens';
import { sweepsStore } from './sweeps.store';
import { z } from 'zod';

/** Records the owners' purge reports and shows the latest sweep to a tenant. */
@Controller()
export class SweepsHandler {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RETENTION_LOGGER) private readonly logger: Logger,
  ) {}

  @EventPattern<EventType>('retention.purge.completed')
  async onPurgeCompleted(
    @Payload() event: EventEnvelope<'retention.purge.completed'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    if (!(await sweepsStore.complete(ctx.em, event.data, this.clock.now()))) {
      this.logger.warn({ sweepId: event.data.sweepId, dataKind: event.data.dataKind }, 'purge report of no open sweep');
    }
  }

  @MessagePattern(RETENTION_RPC.sweepLatest)
  async latest(
    @Payload(new ContractPipe(retentionSweepLatestRequest)) { tenantId }: z.output<typeof retentionSweepLatestRequest>,
  ): Promise<RpcAnswer<'retention.sweep.latest'>> {
    const sweep = await sweepsStore.latest(freshEm(this.em), tenantId);
    if (!sweep) {
      throw RetentionError.notFound('no retention sweep has run yet');
    }
    return sweep;
  }
}
