import { Migration } from '@mikro-orm/migrations';

/**
 * Tenants, their API keys (only a SHA-256 hash of each key is stored; `lookup` is the public part that
 * finds the row, the hash is then compared in constant time) and idempotency keys with their stored answers.
 */
export class Migration20261122030000Gateway extends Migration {
  override up(): void {
    this.addSql(`create table gateway.tenants (
      id uuid primary key,
      name text not null,
      created_at timestamptz not null
    )`);
    this.addSql(`create table gateway.api_keys (
      id uuid primary key,
      tenant_id uuid not null references gateway.tenants (id) on delete cascade,
      lookup text not null unique,
      key_hash bytea not null,
      label text not null,
      created_at timestamptz not null,
      revoked_at timestamptz null,
      last_used_at timestamptz null
    )`);
    this.addSql('create index api_keys_tenant_idx on gateway.api_keys (tenant_id, id)');
    this.addSql(`create table gateway.idempotency_keys (
      tenant_id uuid not null,
      key text not null,
      request_hash text not null,
      status integer null,
      response jsonb null,
      created_at timestamptz not null,
      completed_at timestamptz null,
      primary key (tenant_id, key)
    )`);
    this.addSql('create index idempotency_keys_created_idx on gateway.idempotency_keys (created_at)');
  }
}
