import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { freshEm } from '@shelfwatch/persistence';
import type { CredentialOwner, SealedCredentials } from './credential-cipher';

/** A tenant's stored credentials of one marketplace, still sealed. */
export interface StoredCredentials extends CredentialOwner {
  sealed: SealedCredentials;
  last4: string;
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
}

interface Row {
  tenant_id: string;
  marketplace: string;
  key_id: string;
  ciphertext: Buffer;
  iv: Buffer;
  auth_tag: Buffer;
  last4: string;
  created_at: Date;
  updated_at: Date;
  last_used_at: Date | null;
}

function toStored(row: Row): StoredCredentials {
  return {
    tenantId: row.tenant_id,
    marketplace: row.marketplace,
    sealed: { keyId: row.key_id, ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag },
    last4: row.last4,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at) : null,
  };
}

/** `crawler.tenant_credentials`: one sealed credential pair per tenant and marketplace. */
@Injectable()
export class CredentialStore {
  constructor(private readonly orm: MikroORM) {}

  async find(owner: CredentialOwner): Promise<StoredCredentials | null> {
    const [row] = await freshEm(this.orm).execute<Row[]>(
      'select * from crawler.tenant_credentials where tenant_id = ? and marketplace = ?',
      [owner.tenantId, owner.marketplace],
    );
    return row ? toStored(row) : null;
  }

  /** Stores (or replaces) the tenant's credentials; a replacement keeps `created_at` and forgets `last_used_at`. */
  async put(owner: CredentialOwner, sealed: SealedCredentials, last4: string, now: Date): Promise<StoredCredentials> {
    const [row] = await freshEm(this.orm).execute<Row[]>(
      `insert into crawler.tenant_credentials
         (tenant_id, marketplace, key_id, ciphertext, iv, auth_tag, last4, created_at, updated_at, last_used_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, null)
       on conflict (tenant_id, marketplace) do update
         set key_id = excluded.key_id, ciphertext = excluded.ciphertext, iv = excluded.iv, auth_tag = excluded.auth_tag,
             last4 = excluded.last4, updated_at = excluded.updated_at, last_used_at = null
       returning *`,
      [owner.tenantId, owner.marketplace, sealed.keyId, sealed.ciphertext, sealed.iv, sealed.authTag, last4, now, now],
    );
    if (!row) {
      throw new Error('storing credentials returned no row');
    }
    return toStored(row);
  }

  /** False when the tenant had none stored. */
  async delete(owner: CredentialOwner): Promise<boolean> {
    const result = await freshEm(this.orm).execute<{ affectedRows: number }>(
      'delete from crawler.tenant_credentials where tenant_id = ? and marketplace = ?',
      [owner.tenantId, owner.marketplace],
      'run',
    );
    return result.affectedRows > 0;
  }

  /** Records a use, at most once per `resolution` per row: most crawls read the row without writing it. */
  async markUsed(owner: CredentialOwner, now: Date, resolutionMs: number): Promise<void> {
    await freshEm(this.orm).execute(
      `update crawler.tenant_credentials set last_used_at = ?
          where tenant_id = ? and marketplace = ? and (last_used_at is null or last_used_at <= ?)`,
      [now, owner.tenantId, owner.marketplace, new Date(now.getTime() - resolutionMs)],
      'run',
    );
  }

  /** Up to `limit` rows sealed under a key other than `keyId`, after the row `after` (to re-seal after a rotation). */
  async sealedUnderOtherKeys(
    keyId: string,
    after: CredentialOwner | null,
    limit: number,
  ): Promise<StoredCredentials[]> {
    const from = after ?? { tenantId: '00000000-0000-0000-0000-000000000000', marketplace: '' };
    const rows = await freshEm(this.orm).execute<Row[]>(
      `select * from crawler.tenant_credentials
        where key_id <> ? and (tenant_id, marketplace) > (?, ?)
        order by tenant_id, marketplace limit ?`,
      [keyId, from.tenantId, from.marketplace, limit],
    );
    return rows.map(toStored);
  }

  /**
   * Replaces a row's sealed value when it is still the one that was read (`previousKeyId` and same `updated_at`):
   * a concurrent PUT or another replica's re-sealing wins. False when the row changed meanwhile.
   */
  async reseal(stored: StoredCredentials, sealed: SealedCredentials): Promise<boolean> {
    const result = await freshEm(this.orm).execute<{ affectedRows: number }>(
      `update crawler.tenant_credentials set key_id = ?, ciphertext = ?, iv = ?, auth_tag = ?
        where tenant_id = ? and marketplace = ? and key_id = ? and updated_at = ?`,
      [
        sealed.keyId,
        sealed.ciphertext,
        sealed.iv,
        sealed.authTag,
        stored.tenantId,
        stored.marketplace,
        stored.sealed.keyId,
        stored.updatedAt,
      ],
      'run',
    );
    return result.affectedRows === 1;
  }
}
