import { z } from 'zod';

/** Kinds of data a retention policy governs; each has exactly one owning service. */
export const dataKindSchema = z.enum(['ranking_rows', 'crawl_runs', 'alerts', 'delivery_logs']);
export type DataKind = z.infer<typeof dataKindSchema>;

/** The retention service asks the owner of a data kind to purge what is older than `cutoff`. */
export const retentionPurgeRequestedV1 = z.object({
  sweepId: z.uuid(),
  dataKind: dataKindSchema,
  /** Rows strictly older than this instant may be purged. */
  cutoff: z.iso.datetime({ offset: true }),
});

/** The owner purged a data kind for a sweep. */
export const retentionPurgeCompletedV1 = z.object({
  sweepId: z.uuid(),
  dataKind: dataKindSchema,
  deleted: z.number().int().nonnegative(),
  /** The service that owns the data and did the purge. */
  service: z.string().min(1),
});
