import { counter } from '@shelfwatch/observability';
import { CacheBounds, ReadThroughCache, boundsOr } from '../caching/read-through-cache';
import { StoredKey } from './tenants.store';

/** How long a key read from the database is trusted without reading it again. */
export const KEY_CACHE_TTL_MS = 5_000;
/** Keys (and unknown lookups) kept at most; beyond it the least recently used one is dropped, never all. */
export const KEY_CACHE_MAX_ENTRIES = 10_000;

/** Metric name, so tests and dashboards do not retype it. */
export const KEY_CACHE_LOOKUPS = 'shelfwatch_gateway_key_cache_lookups_total';

/** Reads a stored key by its lookup (null: no such key). */
export type KeyReader = (lookup: string) => Promise<StoredKey | null>;

/** What the cache holds: the key, or null when the database has none (lru-cache holds no bare null). */
interface Entry {
  key: StoredKey | null;
}

/** Options of the cache (its TTL, its size, a clock for tests); the constants above by default. */
export type KeyCacheOptions = Partial<CacheBounds>;

/**
 * Stored keys by lookup, for {@link KEY_CACHE_TTL_MS}, so a request does not cost a database read: a
 * {@link ReadThroughCache} of at most {@link KEY_CACHE_MAX_ENTRIES} (filling it drops the least recently used key,
 * not the rest), with one read per lookup however many requests miss it at once, and one ahead of its expiry. This
 * instance forgets a key the moment it is revoked or rotated here, cancelling a read of it still under way; another
 * gateway replica may still accept it for at most the TTL (docs/gateway.md). Hits and misses are counted in {@link KEY_CACHE_LOOKUPS}.
 */
export class KeyCache {
  private readonly entries: ReadThroughCache<Entry>;

  constructor(read: KeyReader, options: KeyCacheOptions = {}) {
    this.entries = new ReadThroughCache<Entry>(async (lookup) => ({ key: await read(lookup) }), {
      ...boundsOr(options, { ttlMs: KEY_CACHE_TTL_MS, maxEntries: KEY_CACHE_MAX_ENTRIES }),
      lookups: counter(
        KEY_CACHE_LOOKUPS,
        'API key lookups of the gateway by result: hit (answered from memory) or miss (read from Postgres)',
        ['result'],
      ),
    });
  }

  /**
   * The cached key (null: known not to exist); undefined when it must be read ({@link load}). A key past half its TTL
   * is read again beside it (`ReadThroughCache.refreshIfOld`): a key in steady use is not missed every TTL, with its
   * requests waiting for Postgres meanwhile. A lookup known not to exist is not: no key is ever issued under an old
   * lookup, and a guess repeated from memory must not read Postgres unthrottled.
   */
  get(lookup: string): StoredKey | null | undefined {
    const entry = this.entries.cached(lookup);
    if (entry?.key) {
      this.entries.refreshIfOld(lookup);
    }
    return entry?.key;
  }

  /** Reads the key and keeps it; callers that miss the same lookup meanwhile share this one read. */
  async load(lookup: string): Promise<StoredKey | null> {
    return (await this.entries.load(lookup)).key;
  }

  /** Drops a key at once (revoked or rotated here); a read of it under way is not kept. */
  forget(lookup: string): void {
    this.entries.forget(lookup);
  }
}
