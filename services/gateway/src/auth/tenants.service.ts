import { randomBytes } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Page, decodeCursor, toPage } from '@shelfwatch/contracts';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator } from '@shelfwatch/messaging';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { issueKey } from './api-key';
import { KeyCache } from './key-cache';
import { StoredKey, TenantsStore } from './tenants.store';

/** Whether issued keys are `sw_live_` (production) or `sw_test_`. */
export const LIVE_KEYS = Symbol('LIVE_KEYS');

/** Live keys one tenant may hold (`GATEWAY_MAX_API_KEYS_PER_TENANT`). */
export const MAX_API_KEYS = Symbol('MAX_API_KEYS');

/** An API key as listings show it: never the key, only its public lookup part. */
export interface ApiKeyView {
  id: string;
  label: string;
  /** The key's first characters (`sw_…_<lookup>`), to recognise it. */
  lookup: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** A key just issued: the only answer that ever carries the key itself. */
export interface IssuedApiKey extends ApiKeyView {
  apiKey: string;
}

export interface TenantView {
  id: string;
  name: string;
  createdAt: string;
}

function keyView(key: StoredKey): ApiKeyView {
  return {
    id: key.id,
    label: key.label,
    lookup: key.lookup,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  };
}

/** Tenants and the life of their keys: issue (shown once), list, rotate, revoke. */
@Injectable()
export class TenantsService {
  constructor(
    private readonly store: TenantsStore,
    private readonly cache: KeyCache,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(LIVE_KEYS) private readonly liveKeys: boolean,
    @Inject(MAX_API_KEYS) private readonly maxKeys: number,
  ) {}

  /** Creates a tenant with its first key. */
  createTenant(name: string): Promise<TenantView & { apiKey: string; apiKeyId: string }> {
    return this.store.transactional(async (em) => {
      const tenant = { id: this.ids.next(), name, createdAt: this.clock.now() };
      await this.store.insertTenant(em, tenant);
      const key = await this.issue(em, tenant.id, 'initial');
      return { id: tenant.id, name, createdAt: tenant.createdAt.toISOString(), apiKey: key.apiKey, apiKeyId: key.id };
    });
  }

  async getTenant(tenantId: string): Promise<TenantView> {
    const tenant = await this.store.findTenant(this.store.em(), tenantId);
    if (!tenant) {
      throw GatewayError.notFound('tenant', tenantId);
    }
    return { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt.toISOString() };
  }

  /** A new key for an existing tenant (the operator's way to recover a tenant that lost every key). */
  issueKey(tenantId: string, label: string): Promise<IssuedApiKey> {
    return this.store.transactional(async (em) => {
      if (!(await this.store.findTenant(em, tenantId))) {
        throw GatewayError.notFound('tenant', tenantId);
      }
      return this.issue(em, tenantId, label);
    });
  }

  async listKeys(tenantId: string, limit: number, cursor: string | undefined): Promise<Page<ApiKeyView>> {
    const { rows, total } = await this.store.listKeys(tenantId, decodeCursor(cursor), limit);
    return toPage(rows, limit, total, keyView);
  }

  /** Issues a replacement and retires the old key after `graceSeconds` (0: at once). */
  async rotate(tenantId: string, keyId: string, graceSeconds: number): Promise<IssuedApiKey> {
    const { lookup, issued } = await this.store.transactional(async (em) => {
      const old = await this.ownedLiveKey(em, tenantId, keyId);
      const replacement = await this.issue(em, tenantId, old.label, old.id);
      await this.store.revokeKey(em, old.id, new Date(this.clock.now().getTime() + graceSeconds * 1_000));
      return { lookup: old.lookup, issued: replacement };
    });
    // After the commit: a request reading the key before it would otherwise cache the unrevoked row again.
    this.cache.forget(lookup);
    return issued;
  }

  /** Revokes a key at once. */
  async revoke(tenantId: string, keyId: string): Promise<void> {
    const lookup = await this.store.transactional(async (em) => {
      const key = await this.ownedLiveKey(em, tenantId, keyId);
      await this.store.revokeKey(em, key.id, this.clock.now());
      return key.lookup;
    });
    this.cache.forget(lookup);
  }

  private async ownedLiveKey(em: EntityManager, tenantId: string, keyId: string): Promise<StoredKey> {
    const key = await this.store.findKey(em, tenantId, keyId);
    if (!key || (key.revokedAt !== null && key.revokedAt <= this.clock.now())) {
      throw GatewayError.notFound('API key', keyId);
    }
    return key;
  }

  /**
   * Issues a key within the tenant's limit: the tenant's row is locked first, so concurrent issues are
   * counted one after the other; the key a rotation replaces (`replacing`) does not count.
   */
  private async issue(em: EntityManager, tenantId: string, label: string, replacing?: string): Promise<IssuedApiKey> {
    const live = await this.store.lockAndCountLiveKeys(em, tenantId, this.clock.now(), replacing);
    if (live >= this.maxKeys) {
      throw new GatewayError(
        GatewayErrorCode.LimitExceeded,
        `tenant limit reached: at most ${this.maxKeys} live API keys per tenant; revoke one first`,
      );
    }
    const issued = issueKey(randomBytes(32), this.liveKeys);
    const stored = {
      id: this.ids.next(),
      tenantId,
      lookup: issued.lookup,
      hash: issued.hash,
      label,
      createdAt: this.clock.now(),
    };
    await this.store.insertKey(em, stored);
    return { ...keyView({ ...stored, revokedAt: null, lastUsedAt: null }), apiKey: issued.plaintext };
  }
}
