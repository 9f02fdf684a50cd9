import { LRUCache } from 'lru-cache';
import type { Counter } from 'prom-client';

/** How a read-through cache is bounded; the clock is injected so its TTL can be tested without waiting. */
export interface CacheBounds {
  ttlMs: number;
  maxEntries: number;
  /** Milliseconds of a monotonic or wall clock; `performance.now()` by default. */
  now?: () => number;
}

/** Its bounds, and the counter of its lookups by `result` (hit, miss), registered by its owner under its own name. */
export interface ReadThroughCacheOptions<V> extends CacheBounds {
  lookups: Counter<'result'>;
  /** A bound on the sum of the values' sizes besides their number: filling it drops the least recently used. */
  maxSize?: { total: number; of: (value: V) => number };
  /** Whether a value read again ahead of its expiry ({@link ReadThroughCache.refreshIfOld}) may replace the kept one. */
  keep?: (value: V) => boolean;
}

/** The bounds a cache built on {@link ReadThroughCache} is given: its own defaults for those left out. */
export function boundsOr(given: Partial<CacheBounds>, defaults: { ttlMs: number; maxEntries: number }): CacheBounds {
  return {
    ttlMs: given.ttlMs ?? defaults.ttlMs,
    maxEntries: given.maxEntries ?? defaults.maxEntries,
    ...(given.now ? { now: given.now } : {}),
  };
}

/** A failed read, told apart from a read cancelled by {@link ReadThroughCache.forget}. */
class ReadFailed extends Error {
  constructor(readonly reason: unknown) {
    super('the read behind a cache failed', { cause: reason });
  }
}

/**
 * Values read from elsewhere (the database, another service), kept in this replica's memory for a TTL: an LRU
 * (filling it drops the least recently used value, never the rest) with one read per key however many callers
 * miss it at once (lru-cache's `fetch`). {@link forget} drops a key at once and cancels a read of it under way, so
 * a value read before a change is never kept after it. Lookups are counted by result in the given metric.
 * `C` is what a caller hands the read besides the key (the request to run on a miss); callers sharing a read
 * share the first caller's.
 */
export class ReadThroughCache<V extends object, C = undefined> {
  private readonly entries: LRUCache<string, V, unknown>;
  /** Reads under way per key: a read cancelled by {@link forget} may still run beside the next one. */
  private readonly inFlight = new Map<string, number>();
  /** Keys being read again ahead of their expiry ({@link refreshIfOld}): at most one such read each. */
  private readonly refreshing = new Set<string>();
  /** Counts {@link forget}s: a read ahead that began before one is not kept. */
  private forgets = 0;
  private readonly lookups: Counter<'result'>;
  private readonly ttlMs: number;
  private readonly keep: (value: V) => boolean;

  constructor(
    private readonly read: (key: string, context: C) => Promise<V>,
    options: ReadThroughCacheOptions<V>,
  ) {
    const { now, maxSize } = options;
    this.lookups = options.lookups;
    this.ttlMs = options.ttlMs;
    this.keep = options.keep ?? (() => true);
    this.entries = new LRUCache<string, V, unknown>({
      max: options.maxEntries,
      ttl: options.ttlMs,
      // An injected clock is read on every check (lru-cache otherwise reuses a reading for 1 ms).
      ...(now ? { perf: { now }, ttlResolution: 0 } : {}),
      // A value larger than the whole bound is served and not kept.
      ...(maxSize ? { maxSize: maxSize.total, sizeCalculation: (value: V) => Math.max(1, maxSize.of(value)) } : {}),
      fetchMethod: async (key, _stale, { context }) => {
        this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
        try {
          return await this.read(key, context as C);
        } catch (error) {
          throw new ReadFailed(error);
        } finally {
          const left = (this.inFlight.get(key) ?? 1) - 1;
          if (left === 0) {
            this.inFlight.delete(key);
          } else {
            this.inFlight.set(key, left);
          }
        }
      },
    });
  }

  /** The value in memory, counted as a hit or a miss; undefined when it must be read ({@link load}). */
  cached(key: string): V | undefined {
    const value = this.entries.get(key);
    this.lookups.inc({ result: value ? 'hit' : 'miss' });
    return value;
  }

  /**
   * Reads the value and keeps it; callers that miss the same key meanwhile share this one read. A read cancelled
   * by {@link forget} may predate the change: the value is then read once more, and not kept.
   */
  async load(key: string, context?: C): Promise<V> {
    const given = context as C;
    try {
      const value = await this.entries.fetch(key, { context: given });
      return value ?? (await this.read(key, given));
    } catch (error) {
      if (error instanceof ReadFailed) {
        throw error.reason;
      }
      return this.read(key, given);
    }
  }

  /** From memory, or read now. */
  async get(key: string, context?: C): Promise<V> {
    return this.cached(key) ?? this.load(key, context);
  }

  /** Whether a read of this key is under way: a {@link load} now joins it instead of reading again. */
  reading(key: string): boolean {
    return this.inFlight.has(key);
  }

  /**
   * Reads the key again beside its kept value once that is past half its TTL, at most one such read per key, and
   * keeps what it reads for a whole TTL (unless a {@link forget} came meanwhile, or `keep` refuses it): the callers
   * of a busy key keep getting the kept value instead of all waiting for a read each time its TTL runs out (at 2,000
   * requests a second, a 10 ms read held back some 20 of them). A failed read leaves the kept value to expire at its
   * TTL. What a caller is served stays at most the TTL old.
   */
  refreshIfOld(key: string, context?: C): void {
    const left = this.entries.getRemainingTTL(key);
    if (left <= 0 || left > this.ttlMs / 2 || this.refreshing.has(key)) {
      return;
    }
    this.refreshing.add(key);
    const forgets = this.forgets;
    void this.read(key, context as C)
      .then((value) => {
        if (forgets === this.forgets && this.keep(value)) {
          this.entries.set(key, value);
        }
      })
      .catch(() => undefined)
      .finally(() => this.refreshing.delete(key));
  }

  /** Drops a key at once; a read of it under way (a load, or a read ahead) is not kept. */
  forget(key: string): void {
    this.forgets += 1;
    this.entries.delete(key);
  }

  /** Drops this value of the key if it is still the one kept (a value that must not be served again). */
  discard(key: string, value: V): void {
    if (this.entries.peek(key) === value) {
      this.entries.delete(key);
    }
  }
}
