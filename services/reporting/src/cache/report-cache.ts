import { counter, gauge } from '@shelfwatch/observability';

const requests = counter('shelfwatch_reporting_cache_requests_total', 'Cached report lookups by cache and outcome', [
  'cache',
  'outcome',
]);
const hitRatio = gauge('shelfwatch_reporting_cache_hit_ratio', 'Hits / lookups of a report cache since start', [
  'cache',
]);
const entriesGauge = gauge('shelfwatch_reporting_cache_entries', 'Answers held by a report cache', ['cache']);

interface Entry<T> {
  version: number;
  expiresAt: number;
  value: T;
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
 */
export class ReportCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private hits = 0;
  private lookups = 0;

  constructor(
    readonly name: string,
    private readonly options: ReportCacheOptions,
    private readonly now: () => number,
  ) {}

  /** The cached answer for `key` at `version`, else the freshly computed one (then cached). */
  async get(key: string, version: number, compute: () => Promise<T>): Promise<T> {
    const found = this.entries.get(key);
    const fresh = found !== undefined && found.version === version && found.expiresAt > this.now();
    this.record(fresh);
    if (fresh) {
      this.entries.delete(key);
      this.entries.set(key, found);
      return found.value;
    }
    const value = await compute();
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
    return value;
  }

  /** Hits / lookups since start (0 before any lookup). */
  get hitRatio(): number {
    return this.lookups === 0 ? 0 : this.hits / this.lookups;
  }

  private record(hit: boolean): void {
    this.lookups += 1;
    this.hits += hit ? 1 : 0;
    requests.inc({ cache: this.name, outcome: hit ? 'hit' : 'miss' });
    hitRatio.set({ cache: this.name }, this.hitRatio);
  }
}
