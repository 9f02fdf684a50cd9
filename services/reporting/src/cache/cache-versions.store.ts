import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { executePrepared, tuples } from '@shelfwatch/persistence';

/** Scope of the dashboard of a tenant. */
export const dashboardScope = 'dashboard';

/** Scope of the brand-share answers of one keyword that include the UTC day `day` (`YYYY-MM-DD`). */
export function brandsScope(keywordId: string, day: string): string {
  return `brands:${keywordId}:${day}`;
}

/**
 * The versions of the report caches' scopes (`reporting.cache_versions`): every replica compares the version it
 * cached an answer under with the current one (docs/reporting.md §Cache). Every statement takes the caller's
 * entity manager, so a bump commits with the change it invalidates.
 */
@Injectable()
export class CacheVersionsStore {
  /**
   * Moves the version of each scope on, in the caller's transaction: the invalidation reaches all replicas exactly
   * when the change commits. Scopes are locked in sorted order to keep lock order stable.
   * SQL: one set-based upsert of every scope, in one round trip.
   */
  async bump(em: EntityManager, tenantId: string, scopes: readonly string[]): Promise<void> {
    const sorted = [...new Set(scopes)].sort();
    await em.execute(
      `insert into reporting.cache_versions as v (tenant_id, scope, version) values ${tuples(sorted.length, 3)}
     on conflict (tenant_id, scope) do update set version = v.version + 1`,
      sorted.flatMap((scope) => [tenantId, scope, 1]),
      'run',
    );
  }

  /**
   * Moves every version on (after a rebuild truncated the read models).
   * SQL: one set-based update of every row, in one round trip.
   */
  async bumpAll(em: EntityManager): Promise<void> {
    await em.execute('update reporting.cache_versions set version = version + 1', [], 'run');
  }

  /**
   * The version of a brand-share answer over the UTC days `[first, endExclusive)`: the sum of its days' versions
   * (one range of the primary key, the day being the scope's suffix). Any bump of one of those days moves the sum
   * on, and a recorded crawl of another day leaves it alone.
   * SQL: a sum over a key range, in one round trip; prepared, as every warm brand-share answer runs it.
   */
  async brandsVersion(
    em: EntityManager,
    tenantId: string,
    keywordId: string,
    days: { first: string; endExclusive: string },
  ): Promise<number> {
    const [row] = await executePrepared<{ version: string }>(
      em,
      `select coalesce(sum(version), 0) as version from reporting.cache_versions
      where tenant_id = $1 and scope >= $2 and scope < $3`,
      [tenantId, brandsScope(keywordId, days.first), brandsScope(keywordId, days.endExclusive)],
    );
    return row ? Number(row.version) : 0;
  }

  /**
   * The current version of a scope; 0 before anything changed it.
   * SQL: the reporting's read models have no entities; one indexed read, in one round trip, prepared (every warm
   * dashboard answer runs it: see `executePrepared`).
   */
  async version(em: EntityManager, tenantId: string, scope: string): Promise<number> {
    const [row] = await executePrepared<{ version: string }>(
      em,
      'select version from reporting.cache_versions where tenant_id = $1 and scope = $2',
      [tenantId, scope],
    );
    return row ? Number(row.version) : 0;
  }
}
