import { counter } from '@shelfwatch/observability';
import { CacheBounds, ReadThroughCache, boundsOr } from '../caching/read-through-cache';

/** How long a tenant's profile (who it is, its plan) is served from memory without asking again. */
export const TENANT_PROFILE_TTL_MS = 5_000;
/** Tenants kept at most; beyond it the least recently used one is dropped. */
export const TENANT_PROFILE_MAX_ENTRIES = 10_000;

/** Metric name, so tests and dashboards do not retype it. */
export const TENANT_PROFILE_LOOKUPS = 'shelfwatch_gateway_tenant_profile_lookups_total';

/** Reads a tenant's profile; a profile that is not `complete` (a service did not answer) is served but not kept. */
export type ProfileReader<P> = (tenantId: string) => Promise<{ profile: P; complete: boolean }>;

/** Options of the cache (its TTL, its size, a clock for tests); the constants above by default. */
export type TenantProfileCacheOptions = Partial<CacheBounds>;

/**
 * What `GET /v1/tenant` answers that changes only when an operator changes it (the tenant's name and creation,
 * its plan), per tenant, for {@link TENANT_PROFILE_TTL_MS}: a tool polling its own tenant costs neither a
 * database read nor a ranking request per call. A {@link ReadThroughCache}: one read per tenant however many
 * requests miss it at once. A profile read while ranking did not answer (plan null) is not kept. The replica that
 * sets a plan forgets the tenant once ranking has stored it; another replica may answer the old plan for at most
 * the TTL (docs/gateway.md). The tenant's usage is not in it: that is asked for on every request.
 */
export class TenantProfileCache<P> {
  private readonly entries: ReadThroughCache<{ profile: P; complete: boolean }>;

  constructor(read: ProfileReader<P>, options: TenantProfileCacheOptions = {}) {
    this.entries = new ReadThroughCache(read, {
      ...boundsOr(options, { ttlMs: TENANT_PROFILE_TTL_MS, maxEntries: TENANT_PROFILE_MAX_ENTRIES }),
      lookups: counter(
        TENANT_PROFILE_LOOKUPS,
        "Lookups of a tenant's profile (name, plan) by GET /v1/tenant by result: hit (from memory) or miss (read)",
        ['result'],
      ),
    });
  }

  /** The tenant's profile: from memory, from a read under way, or read now. */
  async get(tenantId: string): Promise<P> {
    const entry = await this.entries.get(tenantId);
    if (!entry.complete) {
      this.entries.discard(tenantId, entry);
    }
    return entry.profile;
  }

  /** Drops a tenant at once (its plan was just set here); a read of it under way is not kept. */
  forget(tenantId: string): void {
    this.entries.forget(tenantId);
  }
}
