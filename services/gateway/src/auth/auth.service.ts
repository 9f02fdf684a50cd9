import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Secret } from '@shelfwatch/config';
import { CLOCK, Clock } from '@shelfwatch/messaging';
import { GatewayError } from '../http/gateway.errors';
import { bearerToken, keyMatches, lookupOf } from './api-key';
import { KeyCache } from './key-cache';
import { StoredKey, TenantsStore } from './tenants.store';

/** Who is calling: a tenant through one of its keys, or the operator with the admin key. */
export type Principal = { kind: 'tenant'; tenantId: string; keyId: string } | { kind: 'admin' };

/** The operator's key (`ADMIN_API_KEY`). */
export const ADMIN_API_KEY = Symbol('ADMIN_API_KEY');

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
  ) {
    this.adminHash = sha256(adminKey.reveal());
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const presented = bearerToken(authorization);
    if (presented === null) {
      throw GatewayError.unauthorized();
    }
    if (timingSafeEqual(sha256(presented), this.adminHash)) {
      return { kind: 'admin' };
    }
    const lookup = lookupOf(presented);
    const now = this.clock.now();
    const stored = lookup === null ? null : await this.storedKey(lookup, now);
    if (!stored || !keyMatches(presented, stored.hash) || (stored.revokedAt !== null && stored.revokedAt <= now)) {
      throw GatewayError.unauthorized('the API key is unknown or revoked');
    }
    this.touch(stored.id, now);
    return { kind: 'tenant', tenantId: stored.tenantId, keyId: stored.id };
  }

  private async storedKey(lookup: string, now: Date): Promise<StoredKey | null> {
    const cached = this.cache.get(lookup, now.getTime());
    if (cached !== undefined) {
      return cached;
    }
    const stored = await this.store.findKeyByLookup(lookup);
    this.cache.set(lookup, stored, now.getTime());
    return stored;
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
