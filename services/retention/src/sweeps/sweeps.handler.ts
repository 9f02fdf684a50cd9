import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { EntityManager } from '@mikro-orm/postgresql';
import { EventEnvelope, EventType, RETENTION_RPC, retentionSweepLatestRequest, RpcAnswer } from '@shelfwatch/contracts';
import { CLOCK, Clock, ContractPipe, HandlerContext } from '@shelfwatch/messaging';
import { Logger } from 'pino';
import { SERVICE_LOGGER } from '@shelfwatch/platform';
import { freshEm } from '@shelfwatch/persistence';
import { RetentionError } from '../retention.errors';
import { SweepsStore } from './sweeps.store';
import { z } from 'zod';

/** Records the owners' purge reports and shows the latest sweep to a tenant. */
@Controller()
export class SweepsHandler {
  private readonly logger: Logger;

  constructor(
    private readonly em: EntityManager,
    private readonly sweeps: SweepsStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: SweepsHandler.name });
  }

  @EventPattern<EventType>('retention.purge.completed')
  async onPurgeCompleted(
    @Payload() event: EventEnvelope<'retention.purge.completed'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    if (!(await this.sweeps.complete(ctx.em, event.data, this.clock.now()))) {
      this.logger.warn({ sweepId: event.data.sweepId, dataKind: event.data.dataKind }, 'purge report of no open sweep');
    }
  }

  @MessagePattern(RETENTION_RPC.sweepLatest)
  async latest(
    @Payload(new ContractPipe(retentionSweepLatestRequest)) { tenantId }: z.output<typeof retentionSweepLatestRequest>,
  ): Promise<RpcAnswer<'retention.sweep.latest'>> {
    const sweep = await this.sweeps.latest(freshEm(this.em), tenantId);
    if (!sweep) {
      throw RetentionError.notFound('no retention sweep has run yet');
    }
    return sweep;
  }
}
