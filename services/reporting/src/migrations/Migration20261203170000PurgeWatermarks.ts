import { Migration } from '@mikro-orm/migrations';

/**
 * The purges the reporting let through, per tenant and data kind (the nil tenant: every tenant without a
 * cut-off of its own). Not a read model: a rebuild keeps it, so that it does not bring purged data back.
 */
export class Migration20261203170000PurgeWatermarks extends Migration {
  override up(): void {
    this.addSql(`create table reporting.purge_watermarks (
      tenant_id uuid not null,
      data_kind text not null,
      cutoff timestamptz not null,
      primary key (data_kind, tenant_id)
    )`);
  }
}
