import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DataKind, EventData, RetentionSweepView, dataKindSchema } from '@shelfwatch/contracts';
import { PurgePlan } from '../policies/retention-policy';

/** A timestamp as the driver hands it over (a Date or an ISO string, depending on its type parsers). */
type Stamp = Date | string;

function iso(stamp: Stamp): string {
  return new Date(stamp).toISOString();
}

interface SweepRow {
  id: string;
  period: Stamp;
  started_at: Stamp;
  finished_at: Stamp | null;
}

interface KindRow {
  data_kind: string;
  cutoff: Stamp;
  tenant_cutoffs: { tenantId: string; cutoff: string }[];
  status: 'requested' | 'completed';
  service: string | null;
  completed_at: Stamp | null;
  tenant_deleted: string | null;
}

/** The tenant's view of one kind: its own cut-off and its own count. */
function kindView(row: KindRow, tenantId: string): RetentionSweepView['kinds'][number] {
  const own = row.tenant_cutoffs.find((entry) => entry.tenantId === tenantId);
  const completed = row.status === 'completed';
  return {
    dataKind: dataKindSchema.parse(row.data_kind),
    cutoff: iso(own ? own.cutoff : row.cutoff),
    status: row.status,
    deleted: completed ? Number(row.tenant_deleted ?? 0) : null,
    service: row.service,
    completedAt: row.completed_at === null ? null : iso(row.completed_at),
  };
}

/** Sweeps and what their owners reported, in the retention schema. */
@Injectable()
export class SweepsStore {
  /**
   * Claims the sweep of `period`: answers true for the one caller whose insert created the row, false for
   * every other replica (and for a period already swept).
   */
  async claim(em: EntityManager, sweepId: string, period: Date, now: Date): Promise<boolean> {
    const rows = await em.execute<{ id: string }[]>(
      `insert into retention.sweeps (id, period, started_at) values (?, ?, ?)
       on conflict (period) do nothing returning id`,
      [sweepId, period, now],
    );
    return rows.length === 1;
  }

  async addKind(em: EntityManager, sweepId: string, plan: PurgePlan): Promise<void> {
    const tenantCutoffs = plan.tenantCutoffs.map((entry) => ({
      tenantId: entry.tenantId,
      cutoff: entry.cutoff.toISOString(),
    }));
    await em.execute(
      `insert into retention.sweep_kinds (sweep_id, data_kind, cutoff, tenant_cutoffs, status)
       values (?, ?, ?, ?::jsonb, 'requested')`,
      [sweepId, plan.dataKind, plan.cutoff, JSON.stringify(tenantCutoffs)],
    );
  }

  /**
   * Records an owner's answer once (a repeated answer changes nothing) and finishes the sweep when every
   * kind is completed. Answers false for an unknown sweep or kind.
   */
  async complete(em: EntityManager, report: EventData<'retention.purge.completed'>, now: Date): Promise<boolean> {
    const updated = await em.execute<{ sweep_id: string }[]>(
      `update retention.sweep_kinds
          set status = 'completed', deleted = ?, batches = ?, partitions_dropped = ?, service = ?, completed_at = ?
        where sweep_id = ? and data_kind = ? and status = 'requested'
        returning sweep_id`,
      [report.deleted, report.batches, report.partitionsDropped, report.service, now, report.sweepId, report.dataKind],
    );
    if (updated.length === 0) {
      return false;
    }
    for (const { tenantId, deleted } of report.tenants) {
      await em.execute(
        `insert into retention.sweep_tenant_counts (sweep_id, data_kind, tenant_id, deleted) values (?, ?, ?, ?)
         on conflict do nothing`,
        [report.sweepId, report.dataKind, tenantId, deleted],
      );
    }
    await em.execute(
      `update retention.sweeps set finished_at = ?
        where id = ? and finished_at is null
          and not exists (select 1 from retention.sweep_kinds where sweep_id = ? and status <> 'completed')`,
      [now, report.sweepId, report.sweepId],
    );
    return true;
  }

  /** The most recent sweep as `tenantId` sees it, or null before the first sweep. */
  async latest(em: EntityManager, tenantId: string): Promise<RetentionSweepView | null> {
    const [sweep] = await em.execute<SweepRow[]>(
      'select id, period, started_at, finished_at from retention.sweeps order by started_at desc limit 1',
    );
    if (!sweep) {
      return null;
    }
    const kinds = await em.execute<KindRow[]>(
      `select k.data_kind, k.cutoff, k.tenant_cutoffs, k.status, k.service, k.completed_at, c.deleted as tenant_deleted
         from retention.sweep_kinds k
         left join retention.sweep_tenant_counts c
           on c.sweep_id = k.sweep_id and c.data_kind = k.data_kind and c.tenant_id = ?
        where k.sweep_id = ?`,
      [tenantId, sweep.id],
    );
    const order = dataKindSchema.options;
    return {
      sweepId: sweep.id,
      period: iso(sweep.period),
      startedAt: iso(sweep.started_at),
      finishedAt: sweep.finished_at === null ? null : iso(sweep.finished_at),
      status: sweep.finished_at === null ? 'running' : 'completed',
      kinds: kinds
        .map((row) => kindView(row, tenantId))
        .sort((a, b) => order.indexOf(a.dataKind) - order.indexOf(b.dataKind)),
    };
  }

  /** Platform-wide totals of the latest sweep per kind (operators, benchmarks). */
  async totals(em: EntityManager, sweepId: string): Promise<Map<DataKind, number | null>> {
    const rows = await em.execute<{ data_kind: string; deleted: string | null }[]>(
      'select data_kind, deleted from retention.sweep_kinds where sweep_id = ?',
      [sweepId],
    );
    return new Map(
      rows.map((row) => [dataKindSchema.parse(row.data_kind), row.deleted === null ? null : Number(row.deleted)]),
    );
  }
}
