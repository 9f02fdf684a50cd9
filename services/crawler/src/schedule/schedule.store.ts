import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { KeywordRow, ScheduledKeyword, toScheduledKeyword } from '../crawls/crawl.store';
import { KeywordSchedule } from './schedule.rules';

/** A keyword's state as last applied: its interval, its pause and the version they came with. */
export interface KeywordState {
  intervalMinutes: number;
  paused: boolean;
  version: number;
}

/** A keyword to schedule, as `tracking.keyword.added` names it. */
export interface ScheduledKeywordRow {
  keywordId: string;
  tenantId: string;
  marketplace: string;
  /** The site searched; null for marketplaces without sites. */
  site: string | null;
  text: string;
  intervalMinutes: number;
  paused: boolean;
}

function maxVersion(...versions: (string | number | undefined)[]): number | undefined {
  const known = versions.filter((version) => version !== undefined).map(Number);
  return known.length === 0 ? undefined : Math.max(...known);
}

/**
 * The crawler's projection of the tracking catalog: what to crawl, for whom, and which products to look
 * for; with the versions it applied and tombstones of removed links and products, so a late event is
 * recognised (the decisions are in schedule.rules.ts, the flow in schedule.projection.ts).
 */
@Injectable()
export class ScheduleStore {
  /** Serializes the projection of one keyword (or product) until the transaction ends. */
  async lock(em: EntityManager, kind: 'keyword' | 'product', id: string): Promise<void> {
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`crawler.schedule.${kind}:${id}`]);
  }

  async productVersion(em: EntityManager, productId: string): Promise<{ version?: number; removed: boolean }> {
    const [row] = await em.execute<{ version: string | null; removed: boolean }[]>(
      `select (select version from crawler.products where product_id = ?) as version,
              exists (select 1 from crawler.removed_products where product_id = ?) as removed`,
      [productId, productId],
    );
    return { version: maxVersion(row?.version ?? undefined), removed: row?.removed ?? false };
  }

  async upsertProduct(
    em: EntityManager,
    product: { productId: string; tenantId: string; marketplace: string; externalId: string; version: number },
  ): Promise<void> {
    await em.execute(
      `insert into crawler.products (product_id, tenant_id, marketplace, external_id, version) values (?, ?, ?, ?, ?)
       on conflict (product_id) do update
         set external_id = excluded.external_id, marketplace = excluded.marketplace, version = excluded.version`,
      [product.productId, product.tenantId, product.marketplace, product.externalId, product.version],
      'run',
    );
  }

  /** Forgets a product for good (a tombstone), and unschedules keywords no remaining product uses. */
  async removeProduct(em: EntityManager, productId: string, version: number, now: Date): Promise<void> {
    await em.execute(
      `insert into crawler.removed_products (product_id, version, removed_at) values (?, ?, ?)
       on conflict (product_id) do update set version = greatest(crawler.removed_products.version, excluded.version)`,
      [productId, version, now],
      'run',
    );
    const keywords = await em.execute<{ keyword_id: string }[]>(
      'delete from crawler.keyword_products where product_id = ? returning keyword_id',
      [productId],
    );
    await em.execute('delete from crawler.products where product_id = ?', [productId], 'run');
    await this.dropUnused(
      em,
      keywords.map((row) => row.keyword_id),
    );
  }

  /** The version a link was last added or removed at (undefined: never seen). */
  async linkVersion(em: EntityManager, keywordId: string, productId: string): Promise<number | undefined> {
    const [row] = await em.execute<{ live: string | null; removed: string | null }[]>(
      `select (select version from crawler.keyword_products where keyword_id = ? and product_id = ?) as live,
              (select version from crawler.removed_links where keyword_id = ? and product_id = ?) as removed`,
      [keywordId, productId, keywordId, productId],
    );
    return maxVersion(row?.live ?? undefined, row?.removed ?? undefined);
  }

  async keywordState(em: EntityManager, keywordId: string): Promise<KeywordState | undefined> {
    const [row] = await em.execute<{ interval_minutes: number; paused: boolean; version: string }[]>(
      'select interval_minutes, paused, version from crawler.keyword_states where keyword_id = ?',
      [keywordId],
    );
    return row
      ? { intervalMinutes: row.interval_minutes, paused: row.paused, version: Number(row.version) }
      : undefined;
  }

  async saveKeywordState(em: EntityManager, keywordId: string, tenantId: string, state: KeywordState): Promise<void> {
    await em.execute(
      `insert into crawler.keyword_states (keyword_id, tenant_id, interval_minutes, paused, version) values (?, ?, ?, ?, ?)
       on conflict (keyword_id) do update
         set interval_minutes = excluded.interval_minutes, paused = excluded.paused, version = excluded.version`,
      [keywordId, tenantId, state.intervalMinutes, state.paused, state.version],
      'run',
    );
  }

  /** The keyword's schedule row; undefined when it is not scheduled (no product uses it). */
  async schedule(em: EntityManager, keywordId: string): Promise<KeywordSchedule | undefined> {
    const [row] = await em.execute<{ interval_minutes: number; paused: boolean; next_due_at: Date }[]>(
      'select interval_minutes, paused, next_due_at from crawler.keywords where keyword_id = ?',
      [keywordId],
    );
    return row
      ? { intervalMinutes: row.interval_minutes, paused: row.paused, nextDueAt: new Date(row.next_due_at) }
      : undefined;
  }

  async saveSchedule(em: EntityManager, keywordId: string, schedule: KeywordSchedule): Promise<void> {
    await em.execute(
      'update crawler.keywords set interval_minutes = ?, paused = ?, next_due_at = ? where keyword_id = ?',
      [schedule.intervalMinutes, schedule.paused, schedule.nextDueAt, keywordId],
      'run',
    );
  }

  /** Schedules a keyword not scheduled yet (first crawl at `firstDue`). */
  async insertSchedule(em: EntityManager, keyword: ScheduledKeywordRow, firstDue: Date): Promise<void> {
    await em.execute(
      `insert into crawler.keywords (keyword_id, tenant_id, marketplace, site, text, interval_minutes, paused, next_due_at)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        keyword.keywordId,
        keyword.tenantId,
        keyword.marketplace,
        keyword.site,
        keyword.text,
        keyword.intervalMinutes,
        keyword.paused,
        firstDue,
      ],
      'run',
    );
  }

  /** Links a product to a scheduled keyword at `version` (a tombstone of the link goes). */
  async linkProduct(em: EntityManager, keywordId: string, productId: string, version: number): Promise<void> {
    await em.execute(
      `insert into crawler.keyword_products (keyword_id, product_id, version) values (?, ?, ?)
       on conflict (keyword_id, product_id) do update set version = excluded.version`,
      [keywordId, productId, version],
      'run',
    );
    await em.execute(
      'delete from crawler.removed_links where keyword_id = ? and product_id = ?',
      [keywordId, productId],
      'run',
    );
  }

  /** Unlinks a product from a keyword leaving a tombstone at `version`; the keyword goes when unused. */
  async unlinkProduct(
    em: EntityManager,
    keywordId: string,
    productId: string,
    version: number,
    now: Date,
  ): Promise<void> {
    await em.execute(
      'delete from crawler.keyword_products where keyword_id = ? and product_id = ?',
      [keywordId, productId],
      'run',
    );
    await em.execute(
      `insert into crawler.removed_links (keyword_id, product_id, version, removed_at) values (?, ?, ?, ?)
       on conflict (keyword_id, product_id) do update set version = excluded.version, removed_at = excluded.removed_at`,
      [keywordId, productId, version, now],
      'run',
    );
    await this.dropUnused(em, [keywordId]);
  }

  /** Projects a tenant's plan, unless a newer one was projected already. */
  async saveTenantPlan(
    em: EntityManager,
    plan: { tenantId: string; plan: string; shareWeight: number; version: number },
  ): Promise<void> {
    await em.execute(
      `insert into crawler.tenant_plans (tenant_id, plan, share_weight, version) values (?, ?, ?, ?)
       on conflict (tenant_id) do update
         set plan = excluded.plan, share_weight = excluded.share_weight, version = excluded.version
         where crawler.tenant_plans.version < excluded.version`,
      [plan.tenantId, plan.plan, plan.shareWeight, plan.version],
      'run',
    );
  }

  private async dropUnused(em: EntityManager, keywordIds: string[]): Promise<void> {
    for (const keywordId of new Set(keywordIds)) {
      await em.execute(
        `delete from crawler.keywords k where k.keyword_id = ?
           and not exists (select 1 from crawler.keyword_products kp where kp.keyword_id = k.keyword_id)`,
        [keywordId],
        'run',
      );
    }
  }

  /** Keywords due at `now`, locked for this transaction so replicas schedule disjoint sets. */
  async lockDue(em: EntityManager, now: Date, limit: number): Promise<(ScheduledKeyword & { dueAt: Date })[]> {
    const rows = await em.execute<(KeywordRow & { next_due_at: Date })[]>(
      // A paused keyword is never crawled on schedule (a manual crawl of it still is).
      `select * from crawler.keywords where next_due_at <= ? and not paused
        order by next_due_at limit ? for update skip locked`,
      [now, limit],
    );
    return rows.map((row) => ({
      ...toScheduledKeyword(row),
      dueAt: new Date(row.next_due_at),
    }));
  }

  /** Moves a keyword's next due time (after a scheduled request, or a catch-up spread). */
  async setNextDue(em: EntityManager, keywordId: string, at: Date): Promise<void> {
    await em.execute('update crawler.keywords set next_due_at = ? where keyword_id = ?', [at, keywordId], 'run');
  }
}
