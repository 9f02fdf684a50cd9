import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { executePrepared, numberedPlaceholders } from '@shelfwatch/persistence';
import { BudgetSnapshot, DEFAULT_SHARE_WEIGHT, RATE_WINDOW_MS, tenantShare } from './budget.rules';

interface StateRow {
  now: Date;
  resets_at: Date;
  used_today: number;
  paused_until: Date | null;
  slots: string;
  next_slot_frees_at: Date | null;
  permits: string;
}

interface TenantRow {
  used: number | null;
  tenant_resets_at?: Date | null;
  resets_at: Date | null;
  weight: number;
  total_weight: string | null;
}

/** What a tenant's platform requests count against: its use today and the weights that make its share. */
export interface TenantDay {
  usedToday: number;
  resetsAt: Date;
  share: number;
}

/** Whose day on the platform credentials of which marketplace, and that marketplace's daily quota. */
export interface TenantQuery {
  marketplace: string;
  tenantId: string;
  dailyQuota: number;
}

/** A tenant's row of `tenant_usage` (none yet: nulls), its weight and the weights of every tenant of the marketplace. */
const TENANT_DAY_SQL = `with tenants as (
         select tenant_id from crawler.keywords where marketplace = ? union select ?::uuid
       )
       select u.used, u.resets_at,
         coalesce((select greatest(share_weight, 0) from crawler.tenant_plans where tenant_id = ?), ?) as weight,
         (select sum(greatest(coalesce(p.share_weight, ?), 0)) from tenants t left join crawler.tenant_plans p using (tenant_id)) as total_weight
       from (select 1) one
       left join crawler.tenant_usage u on u.budget_key = ? and u.tenant_id = ?`;

/** The same read on its own, prepared (`GET /v1/tenant` asks for it on every request). */
const TENANT_DAY_BOUND = numberedPlaceholders(TENANT_DAY_SQL);

function tenantDayParams(budgetKey: string, { marketplace, tenantId }: TenantQuery): (string | number)[] {
  return [marketplace, tenantId, tenantId, DEFAULT_SHARE_WEIGHT, DEFAULT_SHARE_WEIGHT, budgetKey, tenantId];
}

function toTenantDay(row: Partial<TenantRow> | undefined, dailyQuota: number): TenantDay {
  return {
    usedToday: row?.used ?? 0,
    resetsAt: row?.resets_at ? new Date(row.resets_at) : EPOCH,
    share: tenantShare(dailyQuota, row?.weight ?? DEFAULT_SHARE_WEIGHT, Number(row?.total_weight ?? 0)),
  };
}

const EPOCH = new Date(0);

/** Locks the budget row, creating it ($1 key, $2 epoch): every acquire of one credential waits here for the last. */
const LOCK_BUDGET_SQL = `insert into crawler.request_budgets (budget_key, resets_at, used_today) values ($1, $2, 0)
  on conflict (budget_key) do update set budget_key = excluded.budget_key`;

/** The budget's state at the database clock; with `tenant`, that tenant's day (`TENANT_DAY_SQL`) beside it. */
function budgetStateSql(tenant: boolean): string {
  return numberedPlaceholders(`select b.now, r.resets_at, r.used_today, r.paused_until,
     (select count(*) from crawler.budget_permits p
        where p.budget_key = r.budget_key and coalesce(p.released_at, p.expires_at) > b.now - ?::interval) as slots,
     (select min(p.released_at) + ?::interval from crawler.budget_permits p
        where p.budget_key = r.budget_key and p.released_at > b.now - ?::interval) as next_slot_frees_at,
     (select count(*) from crawler.budget_permits p
        where p.budget_key = r.budget_key and p.released_at is null and p.expires_at > b.now) as permits
     ${tenant ? ', t.used, t.resets_at as tenant_resets_at, t.weight, t.total_weight' : ''}
   from crawler.request_budgets r, (select clock_timestamp() as now) b
     ${tenant ? `left join lateral (${TENANT_DAY_SQL}) t on true` : ''}
   where r.budget_key = ?`);
}

const BUDGET_STATE_SQL = budgetStateSql(false);
const BUDGET_AND_TENANT_STATE_SQL = budgetStateSql(true);

/**
 * A grant in one statement (one round trip under the row lock): permits whose rate slot has freed are of no use
 * any more, the day's count, with `tenant` the tenant's, and the new permit.
 */
function grantSql(tenant: boolean): string {
  return numberedPlaceholders(`with pruned as (
     delete from crawler.budget_permits
      where budget_key = ? and coalesce(released_at, expires_at) <= ?::timestamptz - ?::interval
   ), budget as (
     update crawler.request_budgets set resets_at = ?, used_today = ? where budget_key = ?
   )${
     tenant
       ? `, usage as (
     insert into crawler.tenant_usage (budget_key, tenant_id, resets_at, used) values (?, ?, ?, ?)
     on conflict (budget_key, tenant_id) do update set resets_at = excluded.resets_at, used = excluded.used
   )`
       : ''
   }
   insert into crawler.budget_permits (permit_id, budget_key, granted_at, expires_at)
   values (gen_random_uuid(), ?, ?, ?) returning permit_id`);
}

const GRANT_SQL = grantSql(false);
const GRANT_TENANT_SQL = grantSql(true);

const RELEASE_SQL =
  'update crawler.budget_permits set released_at = clock_timestamp() where permit_id = $1 and released_at is null';

/**
 * SQL of the shared budget (`crawler.request_budgets`, `budget_permits`, `tenant_usage`).
 * `lockAndRead` takes the budget's row lock: every acquire of one credential runs one at a time, across replicas,
 * so an acquire is four round trips (lock, read, grant, commit) under that lock.
 */
@Injectable()
export class BudgetStore {
  /**
   * Locks the budget row (creating it) and reads its state at the database clock, after the lock is held; with
   * `tenant` (platform credentials), that tenant's day in the same statement. Two round trips under the lock.
   */
  async lockAndRead(em: EntityManager, budgetKey: string, tenant: TenantQuery | null): Promise<BudgetSnapshot> {
    await executePrepared(em, LOCK_BUDGET_SQL, [budgetKey, EPOCH]);
    // A new statement: its snapshot and clock_timestamp() are taken after the row lock was granted.
    const [row] = await executePrepared<StateRow & Partial<TenantRow>>(
      em,
      tenant ? BUDGET_AND_TENANT_STATE_SQL : BUDGET_STATE_SQL,
      [
        windowInterval(),
        windowInterval(),
        windowInterval(),
        ...(tenant ? tenantDayParams(budgetKey, tenant) : []),
        budgetKey,
      ],
    );
    if (!row) {
      throw new Error(`budget ${budgetKey} vanished`);
    }
    return {
      now: new Date(row.now),
      resetsAt: new Date(row.resets_at),
      usedToday: row.used_today,
      pausedUntil: row.paused_until ? new Date(row.paused_until) : null,
      rateSlotsHeld: Number(row.slots),
      nextSlotFreesAt: row.next_slot_frees_at ? new Date(row.next_slot_frees_at) : null,
      permitsHeld: Number(row.permits),
      tenant: tenant && toTenantDay({ ...row, resets_at: row.tenant_resets_at ?? null }, tenant.dailyQuota),
    };
  }

  /**
   * A tenant's use of the platform credentials today and its share: weights of the tenants with scheduled
   * keywords on the marketplace (the tenant itself counted even without any), default weight without a plan row.
   */
  async tenantDay(em: EntityManager, budgetKey: string, tenant: TenantQuery): Promise<TenantDay> {
    const [row] = await executePrepared<TenantRow>(em, TENANT_DAY_BOUND, tenantDayParams(budgetKey, tenant));
    return toTenantDay(row, tenant.dailyQuota);
  }

  /**
   * Records a grant: a permit (a concurrency permit until released or `permitExpiresAt`, a rate slot until a window
   * after that), one unit of the day and of the tenant's share.
   */
  async grant(
    em: EntityManager,
    grant: {
      budgetKey: string;
      now: Date;
      resetsAt: Date;
      usedToday: number;
      permitExpiresAt: Date;
      tenant: { tenantId: string; resetsAt: Date; usedToday: number } | null;
    },
  ): Promise<string> {
    const { budgetKey, now, tenant } = grant;
    const [permit] = await executePrepared<{ permit_id: string }>(em, tenant ? GRANT_TENANT_SQL : GRANT_SQL, [
      budgetKey,
      now,
      windowInterval(),
      grant.resetsAt,
      grant.usedToday,
      budgetKey,
      ...(tenant ? [budgetKey, tenant.tenantId, tenant.resetsAt, tenant.usedToday] : []),
      budgetKey,
      now,
      grant.permitExpiresAt,
    ]);
    if (!permit) {
      throw new Error('permit not recorded');
    }
    return permit.permit_id;
  }

  /** The request ended: its concurrency permit is free, its rate slot frees a window later (database clock). */
  async release(em: EntityManager, permitId: string): Promise<void> {
    await executePrepared(em, RELEASE_SQL, [permitId]);
  }

  /** Pauses the budget until `until` (a later pause already set stands). */
  async pause(em: EntityManager, budgetKey: string, until: Date): Promise<void> {
    await em.execute(
      `insert into crawler.request_budgets (budget_key, resets_at, used_today, paused_until) values (?, ?, 0, ?)
       on conflict (budget_key) do update
         set paused_until = greatest(coalesce(crawler.request_budgets.paused_until, excluded.paused_until), excluded.paused_until)`,
      [budgetKey, EPOCH, until],
      'run',
    );
  }

  /** The stored state of a budget without locking it; null when it never sent a request. */
  async read(
    em: EntityManager,
    budgetKey: string,
  ): Promise<{ now: Date; resetsAt: Date; usedToday: number; pausedUntil: Date | null } | null> {
    const [row] = await em.execute<{ now: Date; resets_at: Date; used_today: number; paused_until: Date | null }[]>(
      `select clock_timestamp() as now, resets_at, used_today, paused_until from crawler.request_budgets where budget_key = ?`,
      [budgetKey],
    );
    return row
      ? {
          now: new Date(row.now),
          resetsAt: new Date(row.resets_at),
          usedToday: row.used_today,
          pausedUntil: row.paused_until ? new Date(row.paused_until) : null,
        }
      : null;
  }

  async now(em: EntityManager): Promise<Date> {
    const [row] = await em.execute<{ now: Date }[]>('select clock_timestamp() as now');
    return row ? new Date(row.now) : new Date();
  }
}

function windowInterval(): string {
  return `${RATE_WINDOW_MS} milliseconds`;
}
