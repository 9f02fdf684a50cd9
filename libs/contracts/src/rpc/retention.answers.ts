/**
 * Answer schemas of the retention service's request/reply subjects: the one definition of each answer shape.
 * Their types are the answer types, and the gateway's OpenAPI document shows them as they are here.
 */
import { z } from 'zod';
import { dataKindSchema } from '../events/retention.events';
import { isoDate } from './answer-shapes';

/** How long one kind of the tenant's data is kept, and whether that is the default or the tenant's choice. */
export const retentionPolicyEntrySchema = z.object({
  dataKind: dataKindSchema,
  days: z.number().int(),
  source: z.enum(['default', 'tenant']),
});
export type RetentionPolicyEntry = z.infer<typeof retentionPolicyEntrySchema>;

/** Answer of `retention.policy.get` and `retention.policy.put`: every data kind, in a fixed order. */
export const retentionPolicyViewSchema = z
  .object({ tenantId: z.uuid(), policies: z.array(retentionPolicyEntrySchema) })
  .meta({ id: 'RetentionPolicy' });
export type RetentionPolicyView = z.infer<typeof retentionPolicyViewSchema>;

/** Answer of `retention.policy.kind`: the platform default and every tenant's own choice for that kind. */
export const retentionKindPolicyViewSchema = z.object({
  dataKind: dataKindSchema,
  /** Days kept for a tenant without a choice of its own. */
  defaultDays: z.number().int(),
  /** Tenants with a choice of their own, each with its days. */
  tenants: z.array(z.object({ tenantId: z.uuid(), days: z.number().int() })),
});
export type RetentionKindPolicyView = z.infer<typeof retentionKindPolicyViewSchema>;

/** One data kind of a sweep: `requested` until its owner reports, then `completed`. */
export const retentionSweepKindViewSchema = z.object({
  dataKind: dataKindSchema,
  /** The cut-off applied to this tenant's rows. */
  cutoff: isoDate,
  status: z.enum(['requested', 'completed']),
  /** This tenant's rows deleted; null until completed. */
  deleted: z.number().int().nullable(),
  /** The owning service that purged; null until completed. */
  service: z.string().nullable(),
  completedAt: isoDate.nullable(),
});
export type RetentionSweepKindView = z.infer<typeof retentionSweepKindViewSchema>;

/** Answer of `retention.sweep.latest`. `completed` once every data kind's owner answered. */
export const retentionSweepViewSchema = z
  .object({
    sweepId: z.uuid(),
    /** The period the sweep covers (the scheduler runs one sweep per period across every replica). */
    period: z.string(),
    startedAt: isoDate,
    finishedAt: isoDate.nullable(),
    status: z.enum(['running', 'completed']),
    kinds: z.array(retentionSweepKindViewSchema),
  })
  .meta({ id: 'RetentionSweep' });
export type RetentionSweepView = z.infer<typeof retentionSweepViewSchema>;
