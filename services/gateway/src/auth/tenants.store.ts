import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { freshEm, inTransaction, keysetPage } from '@shelfwatch/persistence';

/** A stored API key (never the key itself). */
export interface StoredKey {
  id: string;
  tenantId: string;
  lookup: string;
  hash: Buffer;
  label: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

interface KeyRow {
  id: string;
  tenant_id: string;
  lookup: string;
  key_hash: Buffer;
  label: string;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

function toKey(row: KeyRow): StoredKey {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    lookup: row.lookup,
    hash: row.key_hash,
    label: row.label,
    createdAt: new Date(row.created_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
  };
}

/** Tenants and API keys in the gateway's schema. */
@Injectable()
export class TenantsStore {
  constructor(private readonly orm: MikroORM) {}

  /** A fresh entity manager (reads and single statements). */
  em(): EntityManager {
    return freshEm(this.orm);
  }

  transactional<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.orm, work);
  }

  async insertTenant(em: EntityManager, tenant: { id: string; name: string; createdAt: Date }): Promise<void> {
    await em.execute(
      'insert into gateway.tenants (id, name, created_at) values (?, ?, ?)',
      [tenant.id, tenant.name, tenant.createdAt],
      'run',
    );
  }

  async findTenant(em: EntityManager, id: string): Promise<{ id: string; name: string; createdAt: Date } | null> {
    const [row] = await em.execute<{ id: string; name: string; created_at: Date }[]>(
      'select id, name, created_at from gateway.tenants where id = ?',
      [id],
    );
    return row ? { id: row.id, name: row.name, createdAt: new Date(row.created_at) } : null;
  }

  /** Locks the tenant's row until the transaction ends, then counts its live keys other than `except`. */
  async lockAndCountLiveKeys(em: EntityManager, tenantId: string, now: Date, except?: string): Promise<number> {
    await em.execute('select 1 from gateway.tenants where id = ? for update', [tenantId]);
    const [row] = await em.execute<{ live: string }[]>(
      `select count(*) as live from gateway.api_keys
       where tenant_id = ? and (revoked_at is null or revoked_at > ?) and id is distinct from ?`,
      [tenantId, now, except ?? null],
    );
    return Number(row?.live ?? 0);
  }

  async insertKey(em: EntityManager, key: Omit<StoredKey, 'revokedAt' | 'lastUsedAt'>): Promise<void> {
    await em.execute(
      `insert into gateway.api_keys (id, tenant_id, lookup, key_hash, label, created_at) values (?, ?, ?, ?, ?, ?)`,
      [key.id, key.tenantId, key.lookup, key.hash, key.label, key.createdAt],
      'run',
    );
  }

  async findKeyByLookup(lookup: string): Promise<StoredKey | null> {
    const [row] = await this.em().execute<KeyRow[]>('select * from gateway.api_keys where lookup = ?', [lookup]);
    return row ? toKey(row) : null;
  }

  async findKey(em: EntityManager, tenantId: string, keyId: string): Promise<StoredKey | null> {
    const [row] = await em.execute<KeyRow[]>('select * from gateway.api_keys where id = ? and tenant_id = ?', [
      keyId,
      tenantId,
    ]);
    return row ? toKey(row) : null;
  }

  /** One page of a tenant's keys in id order, and how many it has. */
  async listKeys(
    tenantId: string,
    after: string | undefined,
    limit: number,
  ): Promise<{ rows: StoredKey[]; total: number }> {
    const { rows, total } = await keysetPage<KeyRow>(
      this.em(),
      { columns: '*', from: 'gateway.api_keys', where: 'tenant_id = ?', params: [tenantId], key: 'id', order: 'asc' },
      { limit, after, parallel: true },
    );
    return { rows: rows.map(toKey), total };
  }

  /** Sets when a key stops working (now, or later for a rotation's grace period) unless it already stopped sooner. */
  async revokeKey(em: EntityManager, keyId: string, at: Date): Promise<void> {
    await em.execute(
      `update gateway.api_keys set revoked_at = least(coalesce(revoked_at, ?::timestamptz), ?::timestamptz) where id = ?`,
      [at, at, keyId],
      'run',
    );
  }

  async touchKey(keyId: string, at: Date): Promise<void> {
    await this.em().execute('update gateway.api_keys set last_used_at = ? where id = ?', [at, keyId], 'run');
  }
}
