import { counter } from '@shelfwatch/observability';
import { LRUCache } from 'lru-cache';
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

/** A failed database read, told apart from a read cancelled by {@link KeyCache.forget}. */
class KeyReadFailed extends Error {
  constructor(readonly reason: unknown) {
    super('reading the API key failed', { cause: reason });
  }
}

/** Options of the cache; the clock is injected so the TTL can be tested without waiting. */
export interface KeyCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  /** Milliseconds of a monotonic or wall clock; `performance.now()` by default. */
  now?: () => number;
}

/**
 * Stored keys by lookup, for {@link KEY_CACHE_TTL_MS}, so a request does not cost a database read: an LRU of at
 * most {@link KEY_CACHE_MAX_ENTRIES} (filling it drops the least recently used key, not the rest), with one
 * read per lookup however many requests miss it at once (lru-cache's `fetch`). This instance forgets a key the
 * moment it is revoked or rotated here, cancelling a read of it still under way; another gateway replica may
 * still accept it for at most the TTL (docs/gateway.md). Hits and misses are counted in {@link KEY_CACHE_LOOKUPS}.
 */
export class KeyCache {
  private readonly entries: LRUCache<string, Entry>;
  /** Lookups being read from the database right now. */
  private readonly inFlight = new Set<string>();
  private readonly lookups = counter(
    KEY_CACHE_LOOKUPS,
    'API key lookups of the gateway by result: hit (answered from memory) or miss (read from Postgres)',
    ['result'],
  );

  constructor(
    private readonly read: KeyReader,
    options: KeyCacheOptions = {},
  ) {
    const now = options.now;
    this.entries = new LRUCache<string, Entry>({
      max: options.maxEntries ?? KEY_CACHE_MAX_ENTRIES,
      ttl: options.ttlMs ?? KEY_CACHE_TTL_MS,
      // An injected clock is read on every check (lru-cache otherwise reuses a reading for 1 ms).
      ...(now ? { perf: { now }, ttlResolution: 0 } : {}),
      fetchMethod: async (lookup) => {
        this.inFlight.add(lookup);
        try {
          return { key: await this.read(lookup) };
        } catch (error) {
          throw new KeyReadFailed(error);
        } finally {
          this.inFlight.delete(lookup);
        }
      },
    });
  }

  /** The cached key (null: known not to exist); undefined when it must be read ({@link load}). */
  get(lookup: string): StoredKey | null | undefined {
    const entry = this.entries.get(lookup);
    this.lookups.inc({ result: entry ? 'hit' : 'miss' });
    return entry?.key;
  }

  /** Whether a read of this lookup is under way: a {@link load} now joins it instead of reading again. */
  reading(lookup: string): boolean {
    return this.inFlight.has(lookup);
  }

  /** Reads the key and keeps it; callers that miss the same lookup meanwhile share this one read. */
  async load(lookup: string): Promise<StoredKey | null> {
    try {
      const entry = await this.entries.fetch(lookup);
      return entry ? entry.key : this.read(lookup);
    } catch (error) {
      if (error instanceof KeyReadFailed) {
        throw error.reason;
      }
      // Forgotten (revoked) while it was being read: that read may predate the revocation, so read it again.
      return this.read(lookup);
    }
  }

  /** Drops a key at once (revoked or rotated here); a read of it under way is not kept. */
  forget(lookup: string): void {
    this.entries.delete(lookup);
  }
}
