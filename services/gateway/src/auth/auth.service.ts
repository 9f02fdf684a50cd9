import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Secret } from '@shelfwatch/config';
import { CLOCK, Clock } from '@shelfwatch/messaging';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { RequestLimiter } from '../limits/rate-limiter';
import { bearerToken, keyMatches, lookupOf } from './api-key';
import { KeyCache } from './key-cache';
import { StoredKey, TenantsStore } from './tenants.store';

/** Who is calling: a tenant through one of its keys, or the operator with the admin key. */
export type Principal = { kind: 'tenant'; tenantId: string; keyId: string } | { kind: 'admin' };

/** The operator's key (`ADMIN_API_KEY`). */
export const ADMIN_API_KEY = Symbol('ADMIN_API_KEY');

/**
 * The bucket of each client address for requests that are not (yet) authenticated: a missing or malformed
 * key, a failed attempt, and every key lookup that needs the database. Shared by every replica through Redis like
 * the tenants' limits, else per replica (`TenantLimits.clientThrottle`, docs/gateway.md).
 */
export const AUTH_THROTTLE = Symbol('AUTH_THROTTLE');

/** `last_used_at` is written at most this often per key, so reads never turn into a write per request. */
const TOUCH_EVERY_MS = 60_000;

/** Turns an `Authorization` header into a {@link Principal}, or refuses with 401. */
@Injectable()
export class AuthService {
  private readonly adminHash: Buffer;
  private readonly touched = new Map<string, number>();
  /** Key reads under way by lookup, each paid for by the request that started it (its charge, then the read). */
  private readonly reads = new Map<string, Promise<StoredKey | null>>();

  constructor(
    private readonly store: TenantsStore,
    private readonly cache: KeyCache,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ADMIN_API_KEY) adminKey: Secret,
    @Inject(AUTH_THROTTLE) private readonly throttle: RequestLimiter,
  ) {
    this.adminHash = sha256(adminKey.reveal());
  }

  /**
   * 1. the admin key and keys found in the cache cost nothing and are never throttled;
   * 2. anything else takes a token from the client address's bucket BEFORE the database is read (429 when
   *    empty), so a burst of guessed keys never reaches Postgres; a request whose key is being charged for and read
   *    already (its cache entry just expired under concurrent use) joins that read without a token, so a client's
   *    concurrent requests with a valid key are never refused as unauthenticated (if the request it joined was
   *    refused, it pays for its own);
   * 3. a key that authenticates gives its token back: only failures and unknown keys use up the bucket (a
   *    request that joined a read pays its token when the key turns out unknown or revoked).
   * The bucket is shared by every replica through Redis when the rate limits are (`TenantLimits.clientThrottle`):
   * taking and refunding a token may then wait for it.
   */
  async authenticate(authorization: string | undefined, client: string): Promise<Principal> {
    const presented = bearerToken(authorization);
    if (presented === null) {
      await this.charge(client);
      throw GatewayError.unauthorized();
    }
    if (timingSafeEqual(sha256(presented), this.adminHash)) {
      return { kind: 'admin' };
    }
    const now = this.clock.now();
    const { stored, charged } = await this.storedKey(lookupOf(presented), client);
    if (!stored || !keyMatches(presented, stored.hash) || (stored.revokedAt !== null && stored.revokedAt <= now)) {
      if (!charged) {
        await this.charge(client);
      }
      throw GatewayError.unauthorized('the API key is unknown or revoked');
    }
    if (charged) {
      await this.throttle.refund(client);
    }
    this.touch(stored.id, now);
    return { kind: 'tenant', tenantId: stored.tenantId, keyId: stored.id };
  }

  /**
   * The stored key of `lookup` (null: there is none) and whether this request paid a token for reading it: a
   * cached key is free, a read another request paid for is joined, any other read is paid for first.
   */
  private async storedKey(
    lookup: string | null,
    client: string,
  ): Promise<{ stored: StoredKey | null; charged: boolean }> {
    const cached = lookup === null ? null : this.cache.get(lookup);
    if (lookup === null || cached === null) {
      await this.charge(client);
      return { stored: null, charged: true };
    }
    if (cached !== undefined) {
      return { stored: cached, charged: false };
    }
    for (let pending = this.reads.get(lookup); pending !== undefined; pending = this.reads.get(lookup)) {
      const joined = await pending.then(
        (stored) => ({ stored }),
        (error: unknown) => ({ error }),
      );
      if ('stored' in joined) {
        return { stored: joined.stored, charged: false };
      }
      if (!(joined.error instanceof GatewayError && joined.error.code === GatewayErrorCode.RateLimited)) {
        throw joined.error;
      }
    }
    const read = this.charge(client).then(() => this.cache.load(lookup));
    this.reads.set(lookup, read);
    try {
      return { stored: await read, charged: true };
    } finally {
      if (this.reads.get(lookup) === read) {
        this.reads.delete(lookup);
      }
    }
  }

  /** Takes a token of the client's bucket, or refuses with 429 and the time until the next one. */
  private async charge(client: string): Promise<void> {
    const decision = await this.throttle.take(client, this.clock.now().getTime());
    if (!decision.allowed) {
      throw new GatewayError(GatewayErrorCode.RateLimited, 'too many unauthenticated requests from this address', {
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
  }

  private touch(keyId: string, now: Date): void {
    const last = this.touched.get(keyId) ?? 0;
    if (now.getTime() - last >= TOUCH_EVERY_MS) {
      this.touched.set(keyId, now.getTime());
      // Best effort: a lost `last_used_at` update must not fail the request.
      this.store.touchKey(keyId, now).catch(() => this.touched.delete(keyId));
    }
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
