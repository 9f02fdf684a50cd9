import { z } from 'zod';

/** Kinds of data a retention policy governs; each has exactly one owning service. */
export const dataKindSchema = z.enum(['ranking_rows', 'crawl_runs', 'alerts', 'delivery_logs']);
export type DataKind = z.infer<typeof dataKindSchema>;

/** A tenant whose own policy gives it a cut-off other than the default one. */
export const tenantCutoffSchema = z.object({
  tenantId: z.uuid(),
  /** This tenant's rows strictly older than this instant may be purged. */
  cutoff: z.iso.datetime({ offset: true }),
});

/**
 * The retention service asks the owner of a data kind to purge what is older than the cut-offs. A row of a
 * tenant listed in `tenantCutoffs` is judged by that tenant's cut-off only, every other row by `cutoff`.
 */
export const retentionPurgeRequestedV1 = z.object({
  sweepId: z.uuid(),
  dataKind: dataKindSchema,
  /** Default cut-off: rows strictly older than this instant may be purged. */
  cutoff: z.iso.datetime({ offset: true }),
  /** Tenants with a policy of their own (empty when none). */
  tenantCutoffs: z.array(tenantCutoffSchema).default([]),
  /** Rows the owner deletes per statement (one short transaction each). */
  batchSize: z.number().int().positive().default(10_000),
  /** Pause between two batches, in milliseconds. */
  pauseMs: z.number().int().nonnegative().default(100),
});

/** The owner purged a data kind for a sweep. */
export const retentionPurgeCompletedV1 = z.object({
  sweepId: z.uuid(),
  dataKind: dataKindSchema,
  /** Rows deleted across every tenant (whole dropped partitions included). */
  deleted: z.number().int().nonnegative(),
  /** The service that owns the data and did the purge. */
  service: z.string().min(1),
  /** Rows deleted per tenant, for the tenant's own view of the sweep; tenants with none are left out. */
  tenants: z.array(z.object({ tenantId: z.uuid(), deleted: z.number().int().nonnegative() })).default([]),
  /** Delete statements run; none was larger than the requested batch size. */
  batches: z.number().int().nonnegative().default(0),
  /** Whole time partitions dropped instead of deleting their rows one batch at a time. */
  partitionsDropped: z.number().int().nonnegative().default(0),
});
