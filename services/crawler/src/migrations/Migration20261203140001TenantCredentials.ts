import { Migration } from '@mikro-orm/migrations';

/**
 * Tenants' own marketplace credentials, sealed (AES-256-GCM: client id and secret together, under the key
 * `key_id`); only the client id's last four characters are in clear, for the tenant to recognise them.
 */
export class Migration20261203140001TenantCredentials extends Migration {
  override up(): void {
    this.addSql(`create table crawler.tenant_credentials (
      tenant_id uuid not null,
      marketplace text not null,
      key_id text not null,
      ciphertext bytea not null,
      iv bytea not null,
      auth_tag bytea not null,
      last4 text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      last_used_at timestamptz null,
      primary key (tenant_id, marketplace)
    )`);
    // Re-sealing after a key rotation looks for rows under any key but the first.
    this.addSql('create index tenant_credentials_key_idx on crawler.tenant_credentials (key_id)');
  }
}
