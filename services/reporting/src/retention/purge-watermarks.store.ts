import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DataKind, SYSTEM_TENANT_ID, dataKindSchema } from '@shelfwatch/contracts';
import { PurgeRequest } from '@shelfwatch/persistence';

/** The watermark row of every tenant without a cut-off of its own. */
const EVERY_OTHER_TENANT = SYSTEM_TENANT_ID;

interface WatermarkRow {
  tenant_id: string;
  data_kind: string;
  cutoff: Date | string;
}

/**
 * How far the purges the reporting let through reached, per tenant and data kind: what the projections and
 * a rebuild honour so that purged analytics never come back from events the streams still hold (TRACKING
 * never expires; a stream keeps the longest window any tenant keeps). Watermarks only move forward. Every
 * statement takes the caller's entity manager.
 */
@Injectable()
export class PurgeWatermarksStore {
  /**
   * Records a purge about to run, in the caller's transaction:
   * 1. each tenant with its own cut-off moves to it (from the default it had until now, if later);
   * 2. every other tenant with a row, and the default row, move to the default cut-off.
   * SQL: set-based upserts that only move a watermark forward (`greatest`), one round trip each.
   */
  async record(em: EntityManager, dataKind: DataKind, request: PurgeRequest): Promise<void> {
    // 1.
    for (const { tenantId, cutoff } of request.tenantCutoffs) {
      await em.execute(
        `insert into reporting.purge_watermarks (tenant_id, data_kind, cutoff)
         select ?::uuid, ?, greatest(?::timestamptz, (select cutoff from reporting.purge_watermarks
                                                       where data_kind = ? and tenant_id = ?::uuid))
         on conflict (data_kind, tenant_id) do update set cutoff = greatest(purge_watermarks.cutoff, excluded.cutoff)`,
        [tenantId, dataKind, cutoff, dataKind, EVERY_OTHER_TENANT],
      );
    }
    // 2.
    const listed = request.tenantCutoffs.map((tenant) => tenant.tenantId).join(',');
    await em.execute(
      `update reporting.purge_watermarks set cutoff = greatest(cutoff, ?::timestamptz)
        where data_kind = ? and not (tenant_id = any(string_to_array(?, ',')::uuid[]))`,
      [request.cutoff, dataKind, listed],
    );
    await em.execute(
      `insert into reporting.purge_watermarks (tenant_id, data_kind, cutoff) values (?, ?, ?)
       on conflict (data_kind, tenant_id) do nothing`,
      [EVERY_OTHER_TENANT, dataKind, request.cutoff],
    );
  }

  /**
   * The instant before which a tenant's data of a kind has been purged; null before any purge.
   * SQL: the tenant's row or the default one, in one round trip.
   */
  async of(em: EntityManager, tenantId: string, dataKind: DataKind): Promise<Date | null> {
    const [row] = await em.execute<WatermarkRow[]>(
      `select tenant_id, data_kind, cutoff from reporting.purge_watermarks
        where data_kind = ? and tenant_id in (?, ?) order by tenant_id = ? desc limit 1`,
      [dataKind, tenantId, EVERY_OTHER_TENANT, tenantId],
    );
    return row ? new Date(row.cutoff) : null;
  }

  /**
   * Every kind's watermarks as the purge that re-applies them (after a rebuild); kinds never purged are absent.
   * SQL: the reporting's read models have no entities; every row in one round trip.
   */
  async asRequests(em: EntityManager): Promise<{ dataKind: DataKind; request: PurgeRequest }[]> {
    const rows = await em.execute<WatermarkRow[]>(
      'select tenant_id, data_kind, cutoff from reporting.purge_watermarks order by data_kind, tenant_id',
    );
    const iso = (at: Date | string): string => new Date(at).toISOString();
    return dataKindSchema.options.flatMap((dataKind) => {
      const ofKind = rows.filter((row) => row.data_kind === dataKind);
      const fallback = ofKind.find((row) => row.tenant_id === EVERY_OTHER_TENANT);
      if (!fallback) {
        return [];
      }
      const tenantCutoffs = ofKind
        .filter((row) => row.tenant_id !== EVERY_OTHER_TENANT)
        .map((row) => ({ tenantId: row.tenant_id, cutoff: iso(row.cutoff) }));
      return [{ dataKind, request: { cutoff: iso(fallback.cutoff), tenantCutoffs, batchSize: 10_000, pauseMs: 0 } }];
    });
  }
}
