import {
  RETENTION_RPC,
  RetentionPolicyView,
  RetentionSweepView,
  dataKindSchema,
  retentionPolicyPutBodyWithin,
} from '@shelfwatch/contracts';
import { z } from 'zod';
import { Downstream } from '../downstream/downstream';
import { isoDate } from '../http/http-schemas';
import { AnyRoute, route } from '../http/route';

const policyView = z
  .object({
    tenantId: z.uuid(),
    policies: z.array(
      z.object({ dataKind: dataKindSchema, days: z.number().int(), source: z.enum(['default', 'tenant']) }),
    ),
  })
  .meta({ id: 'RetentionPolicy' }) satisfies z.ZodType<RetentionPolicyView>;

const sweepView = z
  .object({
    sweepId: z.uuid(),
    period: z.string(),
    startedAt: isoDate,
    finishedAt: isoDate.nullable(),
    status: z.enum(['running', 'completed']),
    kinds: z.array(
      z.object({
        dataKind: dataKindSchema,
        cutoff: isoDate,
        status: z.enum(['requested', 'completed']),
        deleted: z.number().int().nullable(),
        service: z.string().nullable(),
        completedAt: isoDate.nullable(),
      }),
    ),
  })
  .meta({ id: 'RetentionSweep' }) satisfies z.ZodType<RetentionSweepView>;

/** The platform maximum of a tenant's retention, in days (`RETENTION_MAX_DAYS`). */
export const RETENTION_MAX_DAYS = Symbol('RETENTION_MAX_DAYS');

/**
 * The tenant's retention policy and the last sweep: the retention service. A policy longer than `maxDays` is
 * refused here with 400 naming the maximum (the retention service refuses it too).
 */
export function retentionRoutes(downstream: Downstream, maxDays: number): AnyRoute[] {
  return [
    route({
      method: 'GET',
      path: '/v1/retention-policy',
      operationId: 'getRetentionPolicy',
      summary: 'How long each kind of data is kept for the tenant',
      tag: 'retention',
      access: 'tenant',
      status: 200,
      response: policyView,
      handle: ({ tenantId }) => downstream.call<RetentionPolicyView>(RETENTION_RPC.policyGet, { tenantId }),
    }),
    route({
      method: 'PUT',
      path: '/v1/retention-policy',
      operationId: 'putRetentionPolicy',
      summary: 'Change the retention of some data kinds (days: null returns to the default; 400 above the maximum)',
      tag: 'retention',
      access: 'tenant',
      body: retentionPolicyPutBodyWithin(maxDays),
      status: 200,
      response: policyView,
      handle: ({ tenantId, body }) =>
        downstream.call<RetentionPolicyView>(RETENTION_RPC.policyPut, { ...body, tenantId }),
    }),
    route({
      method: 'GET',
      path: '/v1/retention/sweeps/latest',
      operationId: 'getLatestSweep',
      summary: 'The latest retention sweep as it applied to the tenant (404 before the first)',
      tag: 'retention',
      access: 'tenant',
      status: 200,
      response: sweepView,
      handle: ({ tenantId }) => downstream.call<RetentionSweepView>(RETENTION_RPC.sweepLatest, { tenantId }),
    }),
  ];
}
