import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DataKind, dataKindSchema } from '@shelfwatch/contracts';
import { PolicyOverride } from './retention-policy';

interface OverrideRow {
  tenant_id: string;
  data_kind: string;
  days: number;
}

function toOverride(row: OverrideRow): PolicyOverride {
  return { tenantId: row.tenant_id, dataKind: dataKindSchema.parse(row.data_kind), days: row.days };
}

/** Tenants' policy overrides in the retention schema. */
@Injectable()
export class PoliciesStore {
  /** One tenant's overrides. */
  async forTenant(em: EntityManager, tenantId: string): Promise<PolicyOverride[]> {
    const rows = await em.execute<OverrideRow[]>(
      'select tenant_id, data_kind, days from retention.policies where tenant_id = ?',
      [tenantId],
    );
    return rows.map(toOverride);
  }

  /** Every tenant's override of one kind. */
  async ofKind(em: EntityManager, dataKind: DataKind): Promise<PolicyOverride[]> {
    const rows = await em.execute<OverrideRow[]>(
      'select tenant_id, data_kind, days from retention.policies where data_kind = ?',
      [dataKind],
    );
    return rows.map(toOverride);
  }

  /** Every tenant's overrides (one row per tenant and kind that differs from the default). */
  async all(em: EntityManager): Promise<PolicyOverride[]> {
    const rows = await em.execute<OverrideRow[]>('select tenant_id, data_kind, days from retention.policies');
    return rows.map(toOverride);
  }

  /** Sets (`days`) or removes (`null`) a tenant's override of one kind. */
  async change(em: EntityManager, tenantId: string, dataKind: DataKind, days: number | null, now: Date): Promise<void> {
    if (days === null) {
      await em.execute('delete from retention.policies where tenant_id = ? and data_kind = ?', [tenantId, dataKind]);
      return;
    }
    await em.execute(
      `insert into retention.policies (tenant_id, data_kind, days, updated_at) values (?, ?, ?, ?)
       on conflict (tenant_id, data_kind) do update set days = excluded.days, updated_at = excluded.updated_at`,
      [tenantId, dataKind, days, now],
    );
  }
}
