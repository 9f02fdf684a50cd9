import { counter } from '@shelfwatch/observability';
import { CacheBounds, ReadThroughCache, boundsOr } from '../caching/read-through-cache';

/** How long a tenant's profile (who it is, its plan) is served from memory without asking again. */
export const TENANT_PROFILE_TTL_MS = 5_000;
/** How long a tenant's usage of the marketplaces today is served from memory without asking the crawler again. */
export const TENANT_USAGE_TTL_MS = 1_000;
/** Tenants kept at most; beyond it the least recently used one is dropped. */
export const TENANT_PROFILE_MAX_ENTRIES = 10_000;

/** Metric names, so tests and dashboards do not retype them. */
export const TENANT_PROFILE_LOOKUPS = 'shelfwatch_gateway_tenant_profile_lookups_total';
export const TENANT_USAGE_LOOKUPS = 'shelfwatch_gateway_tenant_usage_lookups_total';

/**
 * What is kept: the profile (name, creation, plan: changed only by an operator) for 5 s; the usage (requests made
 * today per marketplace, which every crawl moves) for 1 s, so a tool polling its tenant many times a second costs
 * the crawler about two requests a second (a read ahead once an entry is past half its TTL), and the usage it reads
 * is at most a second old.
 */
const KINDS = {
  profile: {
    ttlMs: TENANT_PROFILE_TTL_MS,
    lookups: () =>
      counter(
        TENANT_PROFILE_LOOKUPS,
        "Lookups of a tenant's profile (name, plan) by GET /v1/tenant by result: hit (from memory) or miss (read)",
        ['result'],
      ),
  },
  usage: {
    ttlMs: TENANT_USAGE_TTL_MS,
    lookups: () =>
      counter(
        TENANT_USAGE_LOOKUPS,
        "Lookups of a tenant's usage today by GET /v1/tenant by result: hit (from memory) or miss (asked of the crawler)",
        ['result'],
      ),
  },
} as const;

/** Reads a tenant's profile (or usage); one that is not `complete` (a service did not answer) is served, not kept. */
export type ProfileReader<P> = (tenantId: string) => Promise<{ profile: P; complete: boolean }>;

/** Options of the cache (its TTL, its size, a clock for tests); the constants above by default. */
export type TenantProfileCacheOptions = Partial<CacheBounds>;

/**
 * What `GET /v1/tenant` answers that need not be read on every request, per tenant: its profile (see {@link KINDS})
 * or its usage, each in its own cache. A {@link ReadThroughCache}: one read per tenant however many requests miss
 * it at once, and one ahead of expiry. A value read while its service did not answer (plan or usage null) is not
 * kept. The replica that sets a plan forgets the tenant once ranking has stored it; another replica may answer the
 * old plan for at most the TTL (docs/gateway.md).
 */
export class TenantProfileCache<P> {
  private readonly entries: ReadThroughCache<{ profile: P; complete: boolean }>;

  constructor(read: ProfileReader<P>, options: TenantProfileCacheOptions = {}, kind: keyof typeof KINDS = 'profile') {
    const { ttlMs, lookups } = KINDS[kind];
    this.entries = new ReadThroughCache(read, {
      ...boundsOr(options, { ttlMs, maxEntries: TENANT_PROFILE_MAX_ENTRIES }),
      lookups: lookups(),
      keep: (entry) => entry.complete,
    });
  }

  /**
   * The tenant's profile (or usage): from memory, from a read under way, or read now. One past half its TTL is read
   * again beside it ({@link ReadThroughCache.refreshIfOld}), so a busy tenant's requests do not wait for the crawler
   * (or ranking) each time the TTL runs out.
   */
  async get(tenantId: string): Promise<P> {
    const entry = await this.entries.get(tenantId);
    if (entry.complete) {
      this.entries.refreshIfOld(tenantId);
    } else {
      this.entries.discard(tenantId, entry);
    }
    return entry.profile;
  }

  /** Drops a tenant at once (its plan was just set here); a read of it under way is not kept. */
  forget(tenantId: string): void {
    this.entries.forget(tenantId);
  }
}
