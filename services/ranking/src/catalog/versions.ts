import { EntityManager } from '@mikro-orm/postgresql';

/** A keyword's state as its next event announces it. */
export interface KeywordVersion {
  version: number;
  intervalMinutes: number;
  paused: boolean;
}

function inList(ids: readonly string[]): string {
  return ids.map(() => '?').join(', ');
}

/**
 * Counts one more `tracking.keyword.*` event on each keyword (`version + 1`) and answers, by id, the new
 * version with the interval and pause as the row holds them now. The row lock of the update orders
 * concurrent writers (a waiting update re-reads the committed row), so versions grow in commit order and
 * each event carries the state its version stands for: the crawler can ignore an event whose version is
 * not above what it applied. Rows must be flushed first.
 */
export async function nextKeywordVersions(
  em: EntityManager,
  ids: readonly string[],
): Promise<Map<string, KeywordVersion>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) {
    return new Map();
  }
  const rows = await em.execute<{ id: string; version: string; interval_minutes: number; paused: boolean }[]>(
    `update ranking.keywords set version = version + 1 where id in (${inList(unique)})
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

/** Counts one more `tracking.product.*` event on the product and answers its new version. */
export async function nextProductVersion(em: EntityManager, productId: string): Promise<number> {
  const [row] = await em.execute<{ version: string }[]>(
    'update ranking.products set version = version + 1 where id = ? returning version',
    [productId],
  );
  if (!row) {
    throw new Error(`no version counted for product ${productId}`);
  }
  return Number(row.version);
}

/** The entry {@link nextKeywordVersions} answered for `id` (an error when it did not update that row). */
export function versionOf(versions: ReadonlyMap<string, KeywordVersion>, id: string): KeywordVersion {
  const version = versions.get(id);
  if (version === undefined) {
    throw new Error(`no version counted for keyword ${id}`);
  }
  return version;
}
