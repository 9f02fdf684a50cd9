import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/postgresql';
import { EventEnvelope, EventType } from '@shelfwatch/contracts';
import { HandlerContext } from '@shelfwatch/messaging';
import { PurgeGuard } from '@shelfwatch/platform';
import { PurgeTarget, purgeForRequest } from '@shelfwatch/persistence';

/** Finished crawl runs only: a requested or running crawl is never purged, however old. */
export const CRAWL_RUNS: PurgeTarget = {
  table: 'crawler.crawl_runs',
  keyColumn: 'crawl_id',
  timeColumn: 'requested_at',
  tenantColumn: 'tenant_id',
  condition: "status in ('completed', 'failed')",
};

/**
 * Answers the retention service's purge requests for crawl runs in bounded batches, each its own short
 * transaction outside the handler's; the report is committed with the handler's inbox row. A request the
 * current policy or the floor does not allow is refused (acknowledged, nothing deleted).
 */
@Controller()
export class CrawlerRetentionHandler {
  constructor(
    private readonly orm: MikroORM,
    private readonly guard: PurgeGuard,
  ) {}

  @EventPattern<EventType>('retention.purge.requested')
  async onPurgeRequested(
    @Payload() event: EventEnvelope<'retention.purge.requested'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    const { sweepId, dataKind } = event.data;
    if (dataKind !== 'crawl_runs' || !(await this.guard.allows(dataKind, event.data))) {
      return;
    }
    const report = await purgeForRequest(this.orm.em.getConnection(), CRAWL_RUNS, event.data);
    await ctx.emit('retention.purge.completed', { sweepId, dataKind, service: 'crawler', ...report }, dataKind);
  }
}
