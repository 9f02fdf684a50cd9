import { counter, gauge } from '@shelfwatch/observability';

const requests = counter(
  'shelfwatch_reporting_cache_requests_total',
  'Cached report lookups by cache and outcome: hit, miss (computed), coalesced (joined a computation under way)',
  ['cache', 'outcome'],
);
const hitRatio = gauge(
  'shelfwatch_reporting_cache_hit_ratio',
  'Lookups of a report cache answered without a computation of their own (hit or coalesced) / lookups, since start',
  ['cache'],
);
const entriesGauge = gauge('shelfwatch_reporting_cache_entries', 'Answers held by a report cache', ['cache']);

/** How a lookup was answered. */
export type CacheOutcome = 'hit' | 'miss' | 'coalesced';

interface Entry<T> {
  version: number;
  expiresAt: number;
  value: T;
}

interface Flight<T> {
  version: number;
  value: Promise<T>;
}

/** How a cache is bounded. */
export interface ReportCacheOptions {
  ttlMs: number;
  maxEntries: number;
}

/**
 * Answers of one kind (dashboard, brand share) kept in this replica's memory, each under the cache
 * version it was computed at. An entry is served while it is younger than the TTL and its version is
 * still current; the least recently used entry goes first when the cache is full.
 *
 * Single flight: while the answer for a key and version is being computed, every other lookup of that
 * key and version waits for that computation instead of starting its own, so a burst of misses (a
 * dashboard opened by a whole team after a crawl moved its version on) costs one computation.
 */
export class ReportCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly flights = new Map<string, Flight<T>>();
  private answered = 0;
  private lookups = 0;

  constructor(
    readonly name: string,
    private readonly options: ReportCacheOptions,
    private readonly now: () => number,
  ) {}

  /** The cached answer for `key` at `version`, else the one being computed, else the freshly computed one. */
  get(key: string, version: number, compute: () => Promise<T>): Promise<T> {
    const found = this.entries.get(key);
    if (found !== undefined && found.version === version && found.expiresAt > this.now()) {
      this.record('hit');
      this.entries.delete(key);
      this.entries.set(key, found);
      return Promise.resolve(found.value);
    }
    const flight = this.flights.get(key);
    if (flight !== undefined && flight.version === version) {
      this.record('coalesced');
      return flight.value;
    }
    this.record('miss');
    const value = this.computeAndKeep(key, version, compute);
    this.flights.set(key, { version, value });
    return value;
  }

  /** Lookups answered without a computation of their own (hits and coalesced) / lookups since start (0 before any). */
  get hitRatio(): number {
    return this.lookups === 0 ? 0 : this.answered / this.lookups;
  }

  private async computeAndKeep(key: string, version: number, compute: () => Promise<T>): Promise<T> {
    try {
      const value = await compute();
      this.keep(key, version, value);
      return value;
    } finally {
      // Only this flight's own entry: a newer version may have started another flight meanwhile.
      if (this.flights.get(key)?.version === version) {
        this.flights.delete(key);
      }
    }
  }

  private keep(key: string, version: number, value: T): void {
    const current = this.entries.get(key);
    if (current !== undefined && current.version > version) {
      return; // a newer version's answer landed first; never replace it with an older one
    }
    this.entries.delete(key);
    this.entries.set(key, { version, expiresAt: this.now() + this.options.ttlMs, value });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) {
        break;
      }
      this.entries.delete(oldest.value);
    }
    entriesGauge.set({ cache: this.name }, this.entries.size);
  }

  private record(outcome: CacheOutcome): void {
    this.lookups += 1;
    this.answered += outcome === 'miss' ? 0 : 1;
    requests.inc({ cache: this.name, outcome });
    hitRatio.set({ cache: this.name }, this.hitRatio);
  }
}
