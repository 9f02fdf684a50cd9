import { z } from 'zod';
import { dataKindSchema } from '../events/retention.events';

/** Request/reply contracts of the retention service: subjects and request schemas (answers: `retention.answers.ts`). */
export const RETENTION_RPC = {
  policyGet: 'retention.policy.get',
  policyPut: 'retention.policy.put',
  sweepLatest: 'retention.sweep.latest',
  policyOfKind: 'retention.policy.kind',
} as const;

/**
 * Shortest and longest retention any policy can hold, in days: the bounds of the wire format. The platform's
 * own maximum (`RETENTION_MAX_DAYS`, usually lower) is applied by {@link retentionPolicyPutBodyWithin}.
 */
export const RETENTION_MIN_DAYS = 1;
export const RETENTION_MAX_DAYS = 3_650;

/** `retention.policy.get`: the tenant's effective policy for every data kind. */
export const retentionPolicyGetRequest = z.object({ tenantId: z.uuid() });

/** One change of a tenant's policy: `days` sets an override, `null` returns to the platform default. */
export const retentionPolicyChange = z.object({
  dataKind: dataKindSchema,
  days: z.number().int().min(RETENTION_MIN_DAYS).max(RETENTION_MAX_DAYS).nullable(),
});

/** `retention.policy.put`: changes some data kinds of the tenant's policy; kinds not listed keep theirs. */
export const retentionPolicyPutRequest = z.object({
  tenantId: z.uuid(),
  policies: z.array(retentionPolicyChange).min(1).max(dataKindSchema.options.length),
});

/** The body the gateway accepts on `PUT /v1/retention-policy` (the request without `tenantId`). */
export const retentionPolicyPutBody = retentionPolicyPutRequest.omit({ tenantId: true });

/** Why a policy longer than the platform maximum is refused; names the maximum so the caller can correct it. */
export function retentionMaximumMessage(maxDays: number): string {
  return `must be at most ${maxDays} days (the platform maximum retention)`;
}

/** {@link retentionPolicyPutBody} refusing any `days` above the platform maximum `maxDays`. */
export function retentionPolicyPutBodyWithin(maxDays: number) {
  const change = retentionPolicyChange.extend({
    days: z
      .number()
      .int()
      .min(RETENTION_MIN_DAYS)
      .max(Math.min(maxDays, RETENTION_MAX_DAYS), { error: retentionMaximumMessage(maxDays) })
      .nullable(),
  });
  return z.object({ policies: z.array(change).min(1).max(dataKindSchema.options.length) });
}

/**
 * `retention.policy.kind`: one data kind's policy across every tenant, as it stands now. An owner asks it
 * right before it purges, so that a purge request is judged by the policy of the moment it runs.
 */
export const retentionPolicyOfKindRequest = z.object({ dataKind: dataKindSchema });
export type RetentionPolicyOfKindRequest = z.infer<typeof retentionPolicyOfKindRequest>;

/** `retention.sweep.latest`: the last sweep as this tenant sees it; `not_found` before the first sweep. */
export const retentionSweepLatestRequest = z.object({ tenantId: z.uuid() });

export type RetentionPolicyGetRequest = z.infer<typeof retentionPolicyGetRequest>;
export type RetentionPolicyPutRequest = z.infer<typeof retentionPolicyPutRequest>;
export type RetentionSweepLatestRequest = z.infer<typeof retentionSweepLatestRequest>;
