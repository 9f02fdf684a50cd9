import { randomUUID } from 'node:crypto';
import { RETENTION_RPC, RetentionPolicyView } from '@shelfwatch/contracts';
import { expectHealthyProbes } from '../../../libs/platform/test/service-harness';
import { RetentionPlatform, bootRetentionPlatform, refusal } from './retention.fixtures';

describe('retention service: policies', () => {
  let platform: RetentionPlatform;

  beforeAll(async () => {
    platform = await bootRetentionPlatform();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('boots with its real module and answers live, ready and metrics', async () => {
    await expectHealthyProbes(platform.retention);
  });

  it("shows the defaults, takes a tenant's overrides and returns to the default on null", async () => {
    const tenantId = randomUUID();
    const initial = await platform.rpc.request<RetentionPolicyView>(RETENTION_RPC.policyGet, { tenantId });
    expect(initial.policies).toEqual([
      { dataKind: 'ranking_rows', days: 30, source: 'default' },
      { dataKind: 'crawl_runs', days: 30, source: 'default' },
      { dataKind: 'alerts', days: 180, source: 'default' },
      { dataKind: 'delivery_logs', days: 30, source: 'default' },
    ]);

    const changed = await platform.rpc.request<RetentionPolicyView>(RETENTION_RPC.policyPut, {
      tenantId,
      policies: [
        { dataKind: 'ranking_rows', days: 90 },
        { dataKind: 'alerts', days: 7 },
      ],
    });
    expect(changed.policies.filter((p) => p.source === 'tenant')).toEqual([
      { dataKind: 'ranking_rows', days: 90, source: 'tenant' },
      { dataKind: 'alerts', days: 7, source: 'tenant' },
    ]);
    const other = await platform.rpc.request<RetentionPolicyView>(RETENTION_RPC.policyGet, { tenantId: randomUUID() });
    expect(other.policies.every((p) => p.source === 'default')).toBe(true);

    const reverted = await platform.rpc.request<RetentionPolicyView>(RETENTION_RPC.policyPut, {
      tenantId,
      policies: [{ dataKind: 'alerts', days: null }],
    });
    expect(reverted.policies[2]).toEqual({ dataKind: 'alerts', days: 180, source: 'default' });
    expect(reverted.policies[0]).toEqual({ dataKind: 'ranking_rows', days: 90, source: 'tenant' });
  });

  it('refuses a window of zero days or an unknown kind as invalid', async () => {
    const tenantId = randomUUID();
    for (const policies of [[{ dataKind: 'ranking_rows', days: 0 }], [{ dataKind: 'photos', days: 5 }], []]) {
      const error = await refusal(platform.rpc.request(RETENTION_RPC.policyPut, { tenantId, policies }));
      expect(error.code).toBe('invalid');
    }
  });

  it('answers not_found for the latest sweep before any sweep ran', async () => {
    const error = await refusal(platform.rpc.request(RETENTION_RPC.sweepLatest, { tenantId: randomUUID() }));
    expect(error.code).toBe('not_found');
  });
});
