import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { inTransaction } from '@shelfwatch/persistence';
import { SERVICE_LOGGER } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { dayOf, daysAhead, expiredPartitions, partitionName } from './ranking-partitions.policy';

const DAY_MS = 86_400_000;
/** Days of partitions created ahead of time. */
export const PARTITION_DAYS_AHEAD = 7;
/** How long dropping a partition waits for its lock before giving up (readers are never queued behind it for longer). */
const DROP_LOCK_TIMEOUT = '3s';

/** What dropping whole partitions removed. */
export interface DroppedPartitions {
  partitions: number;
  deleted: number;
  byTenant: Map<string, number>;
}

/**
 * Daily partitions of `ranking.ranking_rows`: created ahead of the rows, dropped whole once expired. Both
 * run under one advisory lock so that replicas do not race on the same partition. SQL throughout: partition DDL
 * and the catalog reads it needs have no MikroORM form. Each change is its own transaction.
 */
@Injectable()
export class RankingPartitionsStore {
  private readonly logger: Logger;

  constructor(
    private readonly orm: MikroORM,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: RankingPartitionsStore.name });
  }

  /** Creates today's and the next days' partitions; moves rows the default partition holds for them. */
  async ensureAhead(now: Date): Promise<string[]> {
    const created: string[] = [];
    for (const day of daysAhead(now, PARTITION_DAYS_AHEAD)) {
      if (await this.ensure(day)) {
        created.push(partitionName(day));
      }
    }
    return created;
  }

  /** Drops every daily partition that ends at or before `cutoff`, counting its rows per tenant first. */
  async dropExpired(cutoff: Date): Promise<DroppedPartitions> {
    const result: DroppedPartitions = { partitions: 0, deleted: 0, byTenant: new Map() };
    for (const name of expiredPartitions(await this.partitionNames(), cutoff)) {
      try {
        const counts = await this.drop(name);
        result.partitions += 1;
        for (const { tenant_id: tenant, n } of counts) {
          result.deleted += n;
          result.byTenant.set(tenant, (result.byTenant.get(tenant) ?? 0) + n);
        }
      } catch (error) {
        // Its rows are still older than the cut-off: the batched purge that follows deletes them.
        this.logger.warn({ err: error, partition: name }, 'could not drop an expired partition');
      }
    }
    return result;
  }

  private async partitionNames(): Promise<string[]> {
    const rows = await this.orm.em.getConnection().execute<{ name: string }[]>(
      `select c.relname as name from pg_inherits i
         join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'ranking.ranking_rows'::regclass`,
    );
    return rows.map((row) => row.name);
  }

  private async drop(name: string): Promise<{ tenant_id: string; n: number }[]> {
    return inTransaction(this.orm, async (em) => {
      await em.execute(`set local lock_timeout = '${DROP_LOCK_TIMEOUT}'`);
      await em.execute("select pg_advisory_xact_lock(hashtext('ranking.ranking_rows partitions'))");
      const counts = await em.execute<{ tenant_id: string; n: number }[]>(
        `select tenant_id::text as tenant_id, count(*)::int as n from ranking.${name} group by 1`,
      );
      await em.execute(`drop table ranking.${name}`);
      return counts;
    });
  }

  /**
   * Creates the partition of `day` unless it exists. Rows of that day already in the default partition
   * (written before the partition existed) move into it in the same transaction.
   */
  private async ensure(day: Date): Promise<boolean> {
    const name = partitionName(day);
    const from = dayOf(day);
    const to = new Date(from.getTime() + DAY_MS);
    return inTransaction(this.orm, async (em) => {
      await em.execute("select pg_advisory_xact_lock(hashtext('ranking.ranking_rows partitions'))");
      const [exists] = await em.execute<{ found: boolean }[]>('select to_regclass(?) is not null as found', [
        `ranking.${name}`,
      ]);
      if (exists?.found) {
        return false;
      }
      await em.execute(`create table ranking.${name} (like ranking.ranking_rows including defaults)`);
      await em.execute(
        `with moved as (
           delete from ranking.ranking_rows_default where crawled_at >= ? and crawled_at < ? returning *)
         insert into ranking.${name} select * from moved`,
        [from.toISOString(), to.toISOString()],
      );
      await em.execute(`alter table ranking.ranking_rows attach partition ranking.${name} for values from (?) to (?)`, [
        from.toISOString(),
        to.toISOString(),
      ]);
      this.logger.info({ partition: name }, 'ranking rows partition created');
      return true;
    });
  }
}
