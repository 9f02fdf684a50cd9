import { counter } from '@shelfwatch/observability';
import { CacheBounds, ReadThroughCache, boundsOr } from './read-through-cache';

/** Answers kept at most; beyond it (or {@link ANSWER_CACHE_MAX_BYTES}) the least recently used one is dropped. */
export const ANSWER_CACHE_MAX_ENTRIES = 10_000;
/** Bytes of answers kept at most per replica (their UTF-8 JSON); the gateway container's limit is 512 MiB. */
export const ANSWER_CACHE_MAX_BYTES = 32 * 1024 * 1024;

/** Metric name, so tests and dashboards do not retype it. */
export const ANSWER_CACHE_LOOKUPS = 'shelfwatch_gateway_answer_cache_lookups_total';

/** The `Cache-Status` (RFC 9211) name of this cache. */
export const CACHE_STATUS_NAME = 'shelfwatch-gateway';

/**
 * How an answer was found: kept (`hit`), computed for this request (`miss`), joined a computation another request
 * started (`collapsed`), or computed because the request asked for a fresh one (`bypass`).
 */
export type CacheUse = 'hit' | 'miss' | 'collapsed' | 'bypass';

/** An answer's JSON as the UTF-8 bytes sent (Fastify writes a Buffer as is). */
interface Entry {
  body: Buffer;
}

/** Runs the route on a miss and gives its answer's JSON text. */
type Compute = () => Promise<string>;

/** Options of the cache: its TTL (0: off), its size, a clock for tests. */
export type AnswerCacheOptions = Partial<CacheBounds> & { ttlMs: number; maxBytes?: number };

/**
 * The JSON answers of the GET routes marked `cached` (a products page, a rank history), per tenant and question, for
 * `API_ANSWER_CACHE_TTL_MS`: a {@link ReadThroughCache}, so however many requests of one tenant ask the same at
 * once the service behind computes it once. The question is the route and its validated input, so the order of
 * the query's parameters, or parameters the route ignores, do not make another entry. The key, the rate limit and
 * validation run on every request before it; only the answer is kept, never a failure.
 *
 * What a reader may see: an answer at most the TTL old, counted from when its computation ended (so at most the TTL
 * and one computation behind what the service holds). A change the tenant makes (any POST, PUT, PATCH or DELETE of
 * its key, succeeded or not) drops every answer of that tenant before its answer is sent, so the tenant reads its own
 * writes: on this replica by the tenant's generation here, on every replica by its changes stamp in the shared store
 * (Redis, `RATE_LIMIT_REDIS_URL`), which the next request of the tenant reads with its rate-limit token. The
 * operator's changes drop every tenant's. Without the shared store (unset, or away), another replica sees the change
 * within the TTL, as does every replica what the pipeline records (a crawl, a projection). A request with
 * `Cache-Control: no-cache` (or `no-store`, `max-age=0`) is computed afresh and not kept.
 *
 * Dropping a tenant is O(1): its entries are keyed by a generation that a change increments, so an answer read
 * before the change is never found again, even one still being read when the change came.
 */
export class AnswerCache {
  private readonly entries: ReadThroughCache<Entry, Compute>;
  private readonly generations = new Map<string, number>();
  /** Incremented by the operator's changes: every tenant's answers are dropped. */
  private epoch = 0;
  readonly enabled: boolean;

  constructor(options: AnswerCacheOptions) {
    this.enabled = options.ttlMs > 0;
    // A TTL of 0 means "off" here (the runner never asks), but "never expires" to lru-cache: at least 1 ms.
    const ttlMs = Math.max(1, options.ttlMs);
    this.entries = new ReadThroughCache<Entry, Compute>(
      async (_key, compute) => ({ body: Buffer.from(await compute()) }),
      {
        ...boundsOr({ ...options, ttlMs }, { ttlMs, maxEntries: ANSWER_CACHE_MAX_ENTRIES }),
        maxSize: { total: options.maxBytes ?? ANSWER_CACHE_MAX_BYTES, of: (entry) => entry.body.length },
        lookups: counter(
          ANSWER_CACHE_LOOKUPS,
          'Answers of cached GET routes by result: hit (from memory) or miss (computed, or joined a computation under way)',
          ['result'],
        ),
      },
    );
  }

  /**
   * The tenant's answer to the question (a route and its input): from memory, from a computation under way, or
   * computed now. An answer past half its TTL is still served, and computed again beside it, so that requests
   * do not wait for the computation each time the TTL runs out (a second's worth of them queued behind it).
   * `changes` is the tenant's changes stamp as every replica sees it (read from the shared store with the request's
   * rate-limit token, `redis-bucket.store.ts`): an answer kept under another stamp is not this one's.
   */
  async answer(
    tenantId: string,
    question: string,
    compute: Compute,
    changes = '',
  ): Promise<{ body: Buffer; use: CacheUse }> {
    const key = `${this.epoch}:${tenantId}:${this.generations.get(tenantId) ?? 0}:${changes}:${question}`;
    const kept = this.entries.cached(key);
    if (kept) {
      this.entries.refreshIfOld(key, compute);
      return { body: kept.body, use: 'hit' };
    }
    const joined = this.entries.reading(key);
    return { body: (await this.entries.load(key, compute)).body, use: joined ? 'collapsed' : 'miss' };
  }

  /** Drops every answer of the tenant (null: of every tenant), including those being computed now. */
  changed(tenantId: string | null): void {
    if (tenantId === null) {
      this.epoch += 1;
      return;
    }
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1);
  }
}

/**
 * Whether the request asks for a fresh answer (RFC 9111 §5.2.1): `no-cache`, `no-store` or `max-age=0` in its
 * `Cache-Control`.
 */
export function wantsFresh(cacheControl: string | string[] | undefined): boolean {
  const value = Array.isArray(cacheControl) ? cacheControl.join(',') : (cacheControl ?? '');
  return value
    .toLowerCase()
    .split(',')
    .map((directive) => directive.trim().replace(/\s*=\s*/, '='))
    .some((directive) => directive === 'no-cache' || directive === 'no-store' || /^max-age="?0"?$/.test(directive));
}
