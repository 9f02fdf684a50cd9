import { Migration } from '@mikro-orm/migrations';

/**
 * Tenant policy overrides and sweeps. A sweep's `period` is unique: however many replicas find the period
 * due, one insert wins and only that replica asks the owners to purge.
 */
export class Migration20261122030000Retention extends Migration {
  override up(): void {
    this.addSql(`create table retention.policies (
      tenant_id uuid not null,
      data_kind text not null,
      days integer not null check (days > 0),
      updated_at timestamptz not null,
      primary key (tenant_id, data_kind)
    )`);
    this.addSql(`create table retention.sweeps (
      id uuid primary key,
      period timestamptz not null unique,
      started_at timestamptz not null,
      finished_at timestamptz
    )`);
    this.addSql('create index sweeps_started_idx on retention.sweeps (started_at desc)');
    this.addSql(`create table retention.sweep_kinds (
      sweep_id uuid not null references retention.sweeps (id) on delete cascade,
      data_kind text not null,
      cutoff timestamptz not null,
      tenant_cutoffs jsonb not null,
      status text not null check (status in ('requested', 'completed')),
      deleted bigint,
      batches integer,
      partitions_dropped integer,
      service text,
      completed_at timestamptz,
      primary key (sweep_id, data_kind)
    )`);
    this.addSql(`create table retention.sweep_tenant_counts (
      sweep_id uuid not null,
      data_kind text not null,
      tenant_id uuid not null,
      deleted bigint not null,
      primary key (sweep_id, data_kind, tenant_id),
      foreign key (sweep_id, data_kind) references retention.sweep_kinds (sweep_id, data_kind) on delete cascade
    )`);
  }
}
