import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { EventEnvelope, RETENTION_RPC, RpcAnswer, retentionSweepLatestRequest } from '@shelfwatch/contracts';
import { CLOCK, Clock, HandlerContext, OnEvent, OnRequest, RpcHandlerError, parseRequest } from '@shelfwatch/messaging';
import { Logger } from 'pino';
import { RETENTION_LOGGER } from '../retention.tokens';
import { sweepsStore } from './sweeps.store';

/** Records the owners' purge reports and shows the latest sweep to a tenant. */
@Injectable()
export class SweepsHandler {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RETENTION_LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent('retention.purge.completed')
  async onPurgeCompleted(event: EventEnvelope<'retention.purge.completed'>, ctx: HandlerContext): Promise<void> {
    if (!(await sweepsStore.complete(ctx.em, event.data, this.clock.now()))) {
      this.logger.warn({ sweepId: event.data.sweepId, dataKind: event.data.dataKind }, 'purge report of no open sweep');
    }
  }

  @OnRequest(RETENTION_RPC.sweepLatest)
  async latest(payload: unknown): Promise<RpcAnswer<'retention.sweep.latest'>> {
    const { tenantId } = parseRequest(retentionSweepLatestRequest, payload);
    const sweep = await sweepsStore.latest(this.em.fork(), tenantId);
    if (!sweep) {
      throw new RpcHandlerError('not_found', 'no retention sweep has run yet');
    }
    return sweep;
  }
}
