import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

/** Every read-model table; `cache_versions` is kept (and moved on) so that no replica serves a stale answer. */
export const READ_MODEL_TABLES = [
  'reporting.products',
  'reporting.product_keywords',
  'reporting.crawls',
  'reporting.alerts',
  'reporting.recorded_crawls',
  'reporting.latest_ranks',
  'reporting.brand_slots',
  'reporting.rank_hourly',
  'reporting.rank_daily',
] as const;

/** The reporting's read models as a whole, as a rebuild empties them; takes the caller's entity manager. */
@Injectable()
export class ReadModelsStore {
  /**
   * Empties every read model (`READ_MODEL_TABLES`), in the caller's transaction.
   * SQL: one `truncate` of every table, which the ORM has no statement for.
   */
  async truncate(em: EntityManager): Promise<void> {
    await em.execute(`truncate ${READ_MODEL_TABLES.join(', ')}`, [], 'run');
  }
}
