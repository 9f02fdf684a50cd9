import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { EventData } from '@shelfwatch/contracts';
import {
  PurgeExecutor,
  PurgeReport,
  PurgeTarget,
  purgeByTenantCutoffs,
  purgeReportOf,
  tenantCutoffsOf,
} from '@shelfwatch/persistence';
import { RankingPartitionsStore } from './ranking-partitions.store';

const RANKING_ROWS: PurgeTarget = {
  table: 'ranking.ranking_rows',
  keyColumn: 'id',
  timeColumn: 'crawled_at',
  tenantColumn: 'tenant_id',
};

/** History that goes with the rows: the standings and the crawl records of the same crawls. */
const HISTORY: PurgeTarget[] = [
  { table: 'ranking.standings', keyColumn: 'ctid', timeColumn: 'recorded_at', tenantColumn: 'tenant_id' },
  { table: 'ranking.crawls', keyColumn: 'crawl_id', timeColumn: 'crawled_at', tenantColumn: 'tenant_id' },
];

/**
 * Purges ranking history older than the cut-offs:
 * 1. drops whole daily partitions older than every tenant's cut-off;
 * 2. deletes the remaining expired ranking rows in bounded batches (the partition holding the cut-off, the
 *    default partition, tenants keeping their rows longer);
 * 3. deletes standings and crawl records of the same age the same way;
 * 4. makes sure the partitions of the coming days exist.
 * Every batch is its own short transaction, outside the message handler's.
 */
@Injectable()
export class RankingPurge {
  constructor(
    private readonly orm: MikroORM,
    private readonly partitions: RankingPartitionsStore,
  ) {}

  async purge(request: EventData<'retention.purge.requested'>, now: Date): Promise<PurgeReport> {
    const cutoffs = tenantCutoffsOf(request);
    const earliest = new Date(
      Math.min(...[cutoffs.defaultCutoff, ...cutoffs.overrides.map((o) => o.cutoff)].map(Number)),
    );
    const options = { batchSize: request.batchSize, pauseMs: request.pauseMs };
    const executor: PurgeExecutor = this.orm.em.getConnection();
    // 1.
    const dropped = await this.partitions.dropExpired(earliest);
    // 2.
    const rows = await purgeByTenantCutoffs(executor, RANKING_ROWS, cutoffs, options);
    // 3.
    for (const target of HISTORY) {
      await purgeByTenantCutoffs(executor, target, cutoffs, options);
    }
    // 4.
    await this.partitions.ensureAhead(now);
    for (const [tenantId, deleted] of dropped.byTenant) {
      rows.byTenant.set(tenantId, (rows.byTenant.get(tenantId) ?? 0) + deleted);
    }
    return purgeReportOf({ ...rows, deleted: rows.deleted + dropped.deleted }, dropped.partitions);
  }
}
