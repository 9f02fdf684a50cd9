import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { PlanName } from '@shelfwatch/contracts';
import { placeholders } from '@shelfwatch/persistence';
import { KeywordVersion } from './versions';

/** How much a tenant tracks now, and how many keywords one of its products has. */
export interface CatalogCounts {
  products: number;
  keywords: number;
  productKeywords: number;
}

/**
 * The catalog's statements that MikroORM's entities cannot say in one round trip: the tenant's advisory lock,
 * three counts at once, version counters bumped with `returning`, a set-based delete and the plan's upsert.
 * Products, keywords, links and exclusions themselves are MikroORM entities (`catalog.entities.ts`).
 */
@Injectable()
export class CatalogStore {
  /** Serializes the catalog growth of one tenant until the transaction ends (an advisory lock: no ORM form). */
  async lockTenant(em: EntityManager, tenantId: string): Promise<void> {
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`ranking.catalog:${tenantId}`]);
  }

  /** The three counts the tenant limits compare, in one statement (three `em.count` calls would be three trips). */
  async counts(em: EntityManager, tenantId: string, productId: string): Promise<CatalogCounts> {
    const [row] = await em.execute<{ products: string; keywords: string; product_keywords: string }[]>(
      `select (select count(*) from ranking.products where tenant_id = ?) as products,
              (select count(*) from ranking.keywords where tenant_id = ?) as keywords,
              (select count(*) from ranking.product_keywords where product_id = ?) as product_keywords`,
      [tenantId, tenantId, productId],
    );
    return {
      products: Number(row?.products ?? 0),
      keywords: Number(row?.keywords ?? 0),
      productKeywords: Number(row?.product_keywords ?? 0),
    };
  }

  /**
   * Counts one more `tracking.keyword.*` event on each keyword (`version + 1`) and answers, by id, the new
   * version with the interval and pause as the row holds them now. The row lock of the update orders
   * concurrent writers (a waiting update re-reads the committed row), so versions grow in commit order and
   * each event carries the state its version stands for: the crawler can ignore an event whose version is
   * not above what it applied. Rows must be flushed first. SQL: one `update … returning` for every keyword.
   */
  async nextKeywordVersions(em: EntityManager, ids: readonly string[]): Promise<Map<string, KeywordVersion>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) {
      return new Map();
    }
    const rows = await em.execute<{ id: string; version: string; interval_minutes: number; paused: boolean }[]>(
      `update ranking.keywords set version = version + 1 where id in (${placeholders(unique.length)})
       returning id, version, interval_minutes, paused`,
      [...unique],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        { version: Number(row.version), intervalMinutes: row.interval_minutes, paused: row.paused },
      ]),
    );
  }

  /** Counts one more `tracking.product.*` event on the product and answers its new version (`update … returning`). */
  async nextProductVersion(em: EntityManager, productId: string): Promise<number> {
    const [row] = await em.execute<{ version: string }[]>(
      'update ranking.products set version = version + 1 where id = ? returning version',
      [productId],
    );
    if (!row) {
      throw new Error(`no version counted for product ${productId}`);
    }
    return Number(row.version);
  }

  /** Deletes the given keywords that no product uses any more, in one set-based statement (their rankings stay). */
  async deleteOrphanKeywords(em: EntityManager, keywordIds: readonly string[]): Promise<void> {
    if (keywordIds.length === 0) {
      return;
    }
    await em.execute(
      `delete from ranking.keywords k where k.id in (${placeholders(keywordIds.length)})
         and not exists (select 1 from ranking.product_keywords l where l.keyword_id = k.id)`,
      [...keywordIds],
      'run',
    );
  }

  /** Puts the tenant on `plan` and answers the plan's next version (`on conflict … returning`: one round trip). */
  async setPlan(em: EntityManager, tenantId: string, plan: PlanName, now: Date): Promise<number> {
    const [row] = await em.execute<{ version: string | number }[]>(
      `insert into ranking.tenant_plans (tenant_id, plan, version, updated_at) values (?, ?, 1, ?)
       on conflict (tenant_id) do update
         set plan = excluded.plan, version = ranking.tenant_plans.version + 1, updated_at = excluded.updated_at
       returning version`,
      [tenantId, plan, now],
    );
    return Number(row?.version ?? 1);
  }
}
