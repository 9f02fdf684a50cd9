import { counter } from '@shelfwatch/observability';
import { LRUCache } from 'lru-cache';

/** How long a tenant's profile (who it is, its plan) is served from memory without asking again. */
export const TENANT_PROFILE_TTL_MS = 5_000;
/** Tenants kept at most; beyond it the least recently used one is dropped. */
export const TENANT_PROFILE_MAX_ENTRIES = 10_000;

/** Metric name, so tests and dashboards do not retype it. */
export const TENANT_PROFILE_LOOKUPS = 'shelfwatch_gateway_tenant_profile_lookups_total';

/** Reads a tenant's profile; a profile that is not `complete` (a service did not answer) is served but not kept. */
export type ProfileReader<P> = (tenantId: string) => Promise<{ profile: P; complete: boolean }>;

/** Options of the cache; the clock is injected so the TTL can be tested without waiting. */
export interface TenantProfileCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  /** Milliseconds of a monotonic or wall clock; `performance.now()` by default. */
  now?: () => number;
}

/** A failed read, told apart from a read cancelled by {@link TenantProfileCache.forget}. */
class ProfileReadFailed extends Error {
  constructor(readonly reason: unknown) {
    super("reading the tenant's profile failed", { cause: reason });
  }
}

/** A profile and whether it may be kept. */
interface Entry<P> {
  profile: P;
  complete: boolean;
}

/**
 * What `GET /v1/tenant` answers that changes only when an operator changes it (the tenant's name and creation,
 * its plan), per tenant, for {@link TENANT_PROFILE_TTL_MS}: a tool polling its own tenant costs neither a
 * database read nor a ranking request per call. One read per tenant however many requests miss it at once
 * (lru-cache's `fetch`); a profile read while ranking did not answer (plan null) is not kept. The replica that
 * sets a plan forgets the tenant once ranking has stored it; another replica may answer the old plan for at most
 * the TTL (docs/gateway.md). The tenant's usage is not in it: that is asked for on every request.
 */
export class TenantProfileCache<P> {
  private readonly entries: LRUCache<string, Entry<P>>;
  private readonly lookups = counter(
    TENANT_PROFILE_LOOKUPS,
    "Lookups of a tenant's profile (name, plan) by GET /v1/tenant by result: hit (from memory) or miss (read)",
    ['result'],
  );

  constructor(
    private readonly read: ProfileReader<P>,
    options: TenantProfileCacheOptions = {},
  ) {
    const now = options.now;
    this.entries = new LRUCache<string, Entry<P>>({
      max: options.maxEntries ?? TENANT_PROFILE_MAX_ENTRIES,
      ttl: options.ttlMs ?? TENANT_PROFILE_TTL_MS,
      ...(now ? { perf: { now }, ttlResolution: 0 } : {}),
      fetchMethod: async (tenantId) => {
        try {
          return await this.read(tenantId);
        } catch (error) {
          throw new ProfileReadFailed(error);
        }
      },
    });
  }

  /** The tenant's profile: from memory, from a read under way, or read now. */
  async get(tenantId: string): Promise<P> {
    const cached = this.entries.get(tenantId);
    this.lookups.inc({ result: cached ? 'hit' : 'miss' });
    if (cached) {
      return cached.profile;
    }
    let entry: Entry<P> | undefined;
    try {
      entry = await this.entries.fetch(tenantId);
    } catch (error) {
      if (error instanceof ProfileReadFailed) {
        throw error.reason;
      }
      entry = undefined;
    }
    if (entry === undefined) {
      // Forgotten while it was being read: that read may predate the change, so read once more, uncached.
      return (await this.read(tenantId)).profile;
    }
    if (!entry.complete && this.entries.peek(tenantId) === entry) {
      this.entries.delete(tenantId);
    }
    return entry.profile;
  }

  /** Drops a tenant at once (its plan was just set here); a read of it under way is not kept. */
  forget(tenantId: string): void {
    this.entries.delete(tenantId);
  }
}
