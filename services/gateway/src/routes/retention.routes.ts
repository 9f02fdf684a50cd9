import { RETENTION_RPC, retentionPolicyPutBodyWithin, rpcAnswerSchema } from '@shelfwatch/contracts';
import { Downstream } from '../downstream/downstream';
import { AnyRoute, route } from '../http/route';

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
      response: rpcAnswerSchema(RETENTION_RPC.policyGet),
      handle: ({ tenantId }) => downstream.call(RETENTION_RPC.policyGet, { tenantId }),
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
      response: rpcAnswerSchema(RETENTION_RPC.policyPut),
      handle: ({ tenantId, body }) => downstream.call(RETENTION_RPC.policyPut, { ...body, tenantId }),
    }),
    route({
      method: 'GET',
      path: '/v1/retention/sweeps/latest',
      operationId: 'getLatestSweep',
      summary: 'The latest retention sweep as it applied to the tenant (404 before the first)',
      tag: 'retention',
      access: 'tenant',
      status: 200,
      response: rpcAnswerSchema(RETENTION_RPC.sweepLatest),
      handle: ({ tenantId }) => downstream.call(RETENTION_RPC.sweepLatest, { tenantId }),
    }),
  ];
}
