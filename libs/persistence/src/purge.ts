import { setTimeout as sleep } from 'node:timers/promises';

/** Runs one SQL statement on its own (autocommit); an `EntityManager` that is not inside a transaction fits. */
export interface PurgeExecutor {
  execute(sql: string, params: unknown[]): Promise<unknown>;
}

/** What to purge: rows of one table whose time column is older than a cut-off. */
export interface PurgeTarget {
  /** Schema-qualified table, e.g. `crawler.crawl_runs` (a partitioned table works too). */
  table: string;
  /** A unique, indexed column naming one row (`id`); on a partitioned table unique together with `timeColumn`. */
  keyColumn: string;
  /** Column compared with the cut-off: rows with `timeColumn < cutoff` are purged, nothing else. */
  timeColumn: string;
  /** Column holding the tenant id; needed by {@link purgeByTenantCutoffs}. */
  tenantColumn?: string;
  /**
   * Extra condition every purged row must also meet, e.g. `status in ('completed', 'failed')` so that an
   * active row is never purged. Plain SQL without parameters (it is written by the owner, never by a user).
   */
  condition?: string;
}

/** How a purge proceeds. */
export interface PurgeOptions {
  /** Rows deleted per statement (one short transaction each). Default 10,000. */
  batchSize?: number;
  /** Pause between two batches so that other work gets the disk and the locks. Default 100 ms. */
  pauseMs?: number;
  /** Stops between batches when aborted (the rows already purged stay purged). */
  signal?: AbortSignal;
  /** Called after each batch with the number of rows it deleted (metrics, tests). */
  onBatch?: (deleted: number) => void;
}

/** What a purge did. */
export interface PurgeResult {
  deleted: number;
  batches: number;
  /** Largest batch, never above the batch size. */
  largestBatch: number;
  /** Rows deleted per tenant id; filled when the target names its `tenantColumn`. */
  byTenant: Map<string, number>;
}

function emptyResult(): PurgeResult {
  return { deleted: 0, batches: 0, largestBatch: 0, byTenant: new Map() };
}

/** Default rows per batch (the seed tracker's figure). */
export const DEFAULT_PURGE_BATCH_SIZE = 10_000;
/** Default pause between batches. */
export const DEFAULT_PURGE_PAUSE_MS = 100;

const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new Error(`not a plain SQL identifier: ${name}`);
  }
  return name;
}

/** An outbox row may be purged only once published: an unpublished one is an event not yet sent. */
function guardOutbox(target: PurgeTarget): void {
  if (/(^|\.)outbox$/.test(target.table) && !/published_at is not null/i.test(target.condition ?? '')) {
    throw new Error(`purging ${target.table} needs the condition "published_at is not null"`);
  }
}

/** Adds a batch's `(tenant_id, deleted)` rows to the result; answers the batch's total. */
function countBatch(rows: unknown, result: PurgeResult): number {
  let total = 0;
  for (const row of Array.isArray(rows) ? (rows as unknown[]) : []) {
    const { deleted, tenant_id: tenant } = (row ?? {}) as { deleted?: unknown; tenant_id?: unknown };
    const count = Number(deleted ?? 0);
    total += count;
    if (typeof tenant === 'string') {
      result.byTenant.set(tenant, (result.byTenant.get(tenant) ?? 0) + count);
    }
  }
  return total;
}

/**
 * One batch: at most `limit` rows older than the cut-off, picked through the key and deleted in one
 * statement. The delete repeats the time condition, so a row can never be deleted inside the window.
 */
function batchStatement(target: PurgeTarget, scope: string | null): string {
  guardOutbox(target);
  const table = identifier(target.table);
  const key = identifier(target.keyColumn);
  const time = identifier(target.timeColumn);
  const tenant = target.tenantColumn ? identifier(target.tenantColumn) : '1';
  const where = [`${time} < ?::timestamptz`, scope, target.condition ? `(${target.condition})` : null]
    .filter((part): part is string => part !== null)
    .join(' and ');
  return `with gone as (
      delete from ${table}
       where ${key} = any(array(select ${key} from ${table} where ${where} limit ?))
         and ${where}
      returning ${tenant})
    select ${tenant === '1' ? 'null' : tenant}::text as tenant_id, count(*)::int as deleted from gone group by 1`;
}

async function runBatches(
  executor: PurgeExecutor,
  sql: string,
  params: (limit: number) => unknown[],
  options: PurgeOptions,
  result: PurgeResult,
): Promise<void> {
  const batchSize = options.batchSize ?? DEFAULT_PURGE_BATCH_SIZE;
  const pauseMs = options.pauseMs ?? DEFAULT_PURGE_PAUSE_MS;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  }
  while (!options.signal?.aborted) {
    const deleted = countBatch(await executor.execute(sql, params(batchSize)), result);
    if (deleted === 0) {
      return;
    }
    result.deleted += deleted;
    result.batches += 1;
    result.largestBatch = Math.max(result.largestBatch, deleted);
    options.onBatch?.(deleted);
    if (deleted < batchSize) {
      return;
    }
    if (pauseMs > 0) {
      await sleep(pauseMs);
    }
  }
}

/**
 * Deletes every row of `target` older than `cutoff` in batches of at most `batchSize` rows, each its own
 * short transaction, pausing between batches. Rows inserted meanwhile with a newer time are untouched.
 * Call it with an executor outside any transaction: inside one, the batches would commit as one.
 */
export async function purgeInBatches(
  executor: PurgeExecutor,
  target: PurgeTarget,
  cutoff: Date,
  options: PurgeOptions = {},
): Promise<PurgeResult> {
  const result = emptyResult();
  const sql = batchStatement(target, null);
  const at = cutoff.toISOString();
  await runBatches(executor, sql, (limit) => [at, limit, at], options, result);
  return result;
}

/** Cut-offs of one purge: one for every tenant, except those with a policy of their own. */
export interface TenantCutoffs {
  defaultCutoff: Date;
  /** Tenants whose own policy overrides the default, each with its own cut-off. */
  overrides: { tenantId: string; cutoff: Date }[];
}

/**
 * {@link purgeInBatches} under per-tenant policies: each overriding tenant's rows against its own cut-off,
 * then every other tenant's rows against the default one. `target.tenantColumn` is required.
 */
export async function purgeByTenantCutoffs(
  executor: PurgeExecutor,
  target: PurgeTarget,
  cutoffs: TenantCutoffs,
  options: PurgeOptions = {},
): Promise<PurgeResult> {
  if (!target.tenantColumn) {
    throw new Error(`purgeByTenantCutoffs needs the tenant column of ${target.table}`);
  }
  const tenant = identifier(target.tenantColumn);
  const result = emptyResult();
  for (const { tenantId, cutoff } of cutoffs.overrides) {
    const sql = batchStatement(target, `${tenant} = ?::uuid`);
    const at = cutoff.toISOString();
    await runBatches(executor, sql, (limit) => [at, tenantId, limit, at, tenantId], options, result);
  }
  const others = cutoffs.overrides.map((override) => override.tenantId).join(',');
  const scope = others === '' ? null : `not (${tenant} = any(string_to_array(?, ',')::uuid[]))`;
  const sql = batchStatement(target, scope);
  const defaultCutoff = cutoffs.defaultCutoff.toISOString();
  const params = (limit: number): unknown[] =>
    scope === null ? [defaultCutoff, limit, defaultCutoff] : [defaultCutoff, others, limit, defaultCutoff, others];
  await runBatches(executor, sql, params, options, result);
  return result;
}

/** A purge request as the retention service sends it (`retention.purge.requested` data, ISO instants). */
export interface PurgeRequest {
  cutoff: string;
  tenantCutoffs: { tenantId: string; cutoff: string }[];
  batchSize: number;
  pauseMs: number;
}

/** What an owner answers (`retention.purge.completed` data without sweep, kind and service). */
export interface PurgeReport {
  deleted: number;
  tenants: { tenantId: string; deleted: number }[];
  batches: number;
  partitionsDropped: number;
}

/** The cut-offs of a purge request. */
export function tenantCutoffsOf(request: PurgeRequest): TenantCutoffs {
  return {
    defaultCutoff: new Date(request.cutoff),
    overrides: request.tenantCutoffs.map((t) => ({ tenantId: t.tenantId, cutoff: new Date(t.cutoff) })),
  };
}

/** A purge result as the report an owner sends back. */
export function purgeReportOf(result: PurgeResult, partitionsDropped = 0): PurgeReport {
  return {
    deleted: result.deleted,
    tenants: [...result.byTenant].map(([tenantId, deleted]) => ({ tenantId, deleted })),
    batches: result.batches,
    partitionsDropped,
  };
}

/**
 * The whole purge of one table for a request: its cut-offs, batch size and pause, answered as a report.
 * An owner's handler is then `emit('retention.purge.completed', {sweepId, dataKind, service, ...report})`.
 */
export async function purgeForRequest(
  executor: PurgeExecutor,
  target: PurgeTarget,
  request: PurgeRequest,
): Promise<PurgeReport> {
  const result = await purgeByTenantCutoffs(executor, target, tenantCutoffsOf(request), {
    batchSize: request.batchSize,
    pauseMs: request.pauseMs,
  });
  return purgeReportOf(result);
}
