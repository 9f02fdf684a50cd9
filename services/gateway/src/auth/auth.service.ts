import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Secret } from '@shelfwatch/config';
import { CLOCK, Clock } from '@shelfwatch/messaging';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { RateLimiter } from '../limits/rate-limiter';
import { bearerToken, keyMatches, lookupOf } from './api-key';
import { KeyCache } from './key-cache';
import { TenantsStore } from './tenants.store';

/** Who is calling: a tenant through one of its keys, or the operator with the admin key. */
export type Principal = { kind: 'tenant'; tenantId: string; keyId: string } | { kind: 'admin' };

/** The operator's key (`ADMIN_API_KEY`). */
export const ADMIN_API_KEY = Symbol('ADMIN_API_KEY');

/**
 * The bucket of each client address for requests that are not (yet) authenticated: a missing or malformed
 * key, a failed attempt, and every key lookup that needs the database. Per gateway replica (docs/gateway.md).
 */
export const AUTH_THROTTLE = Symbol('AUTH_THROTTLE');

/** `last_used_at` is written at most this often per key, so reads never turn into a write per request. */
const TOUCH_EVERY_MS = 60_000;

/** Turns an `Authorization` header into a {@link Principal}, or refuses with 401. */
@Injectable()
export class AuthService {
  private readonly adminHash: Buffer;
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly store: TenantsStore,
    private readonly cache: KeyCache,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ADMIN_API_KEY) adminKey: Secret,
    @Inject(AUTH_THROTTLE) private readonly throttle: RateLimiter,
  ) {
    this.adminHash = sha256(adminKey.reveal());
  }

  /**
   * 1. the admin key and keys found in the cache cost nothing and are never throttled;
   * 2. anything else takes a token from the client address's bucket BEFORE the database is read (429 when
   *    empty), so a burst of guessed keys never reaches Postgres; a request whose key is being read already
   *    (its cache entry just expired under concurrent use) joins that read without a token, so a client's
   *    concurrent requests with a valid key are never refused as unauthenticated;
   * 3. a key that authenticates gives its token back: only failures and unknown keys use up the bucket (a
   *    request that joined a read pays its token when the key turns out unknown or revoked).
   */
  async authenticate(authorization: string | undefined, client: string): Promise<Principal> {
    const presented = bearerToken(authorization);
    if (presented === null) {
      this.charge(client);
      throw GatewayError.unauthorized();
    }
    if (timingSafeEqual(sha256(presented), this.adminHash)) {
      return { kind: 'admin' };
    }
    const lookup = lookupOf(presented);
    const now = this.clock.now();
    const cached = lookup === null ? null : this.cache.get(lookup);
    const joinsRead = cached === undefined && lookup !== null && this.cache.reading(lookup);
    const charged = cached === null || (cached === undefined && !joinsRead);
    if (charged) {
      this.charge(client);
    }
    const stored = lookup !== null && cached === undefined ? await this.cache.load(lookup) : (cached ?? null);
    if (!stored || !keyMatches(presented, stored.hash) || (stored.revokedAt !== null && stored.revokedAt <= now)) {
      if (!charged) {
        this.charge(client);
      }
      throw GatewayError.unauthorized('the API key is unknown or revoked');
    }
    if (charged) {
      this.throttle.refund(client);
    }
    this.touch(stored.id, now);
    return { kind: 'tenant', tenantId: stored.tenantId, keyId: stored.id };
  }

  /** Takes a token of the client's bucket, or refuses with 429 and the time until the next one. */
  private charge(client: string): void {
    const decision = this.throttle.take(client, this.clock.now().getTime());
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
