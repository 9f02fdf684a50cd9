import { PurgeRequest } from './purge';
import { KindPolicy, allowedCutoff, decidePurge } from './purge-policy';

const DAY = 86_400_000;
const NOW = new Date('2026-11-22T15:30:00Z');
const TENANT_A = '0190a000-0000-7000-8000-0000000000aa';
const TENANT_B = '0190a000-0000-7000-8000-0000000000bb';

const daysAgo = (days: number): string => new Date(NOW.getTime() - days * DAY).toISOString();

function aRequest(overrides: Partial<PurgeRequest> = {}): PurgeRequest {
  return { cutoff: daysAgo(30), tenantCutoffs: [], batchSize: 100, pauseMs: 0, ...overrides };
}

function aPolicy(overrides: Partial<KindPolicy> = {}): KindPolicy {
  return { defaultDays: 30, tenants: [], ...overrides };
}

describe('purge policy: what an owner lets a purge request delete', () => {
  it('given a request computed from the current policy, when judged, then it runs', () => {
    const request = aRequest({ tenantCutoffs: [{ tenantId: TENANT_A, cutoff: daysAgo(90) }] });
    const policy = aPolicy({ tenants: [{ tenantId: TENANT_A, days: 90 }] });

    expect(decidePurge(request, policy, NOW, 1)).toEqual({ allowed: true });
  });

  it('given a forged cut-off of now, when judged, then the default cut-off is refused, naming the allowed one', () => {
    const decision = decidePurge(aRequest({ cutoff: NOW.toISOString() }), aPolicy(), NOW, 1);

    expect(decision).toEqual({
      allowed: false,
      refusals: [{ tenantId: null, requestedCutoff: NOW, allowedCutoff: new Date(daysAgo(30)) }],
    });
  });

  it('given a policy shorter than the floor, when a cut-off inside the floor is asked, then the floor wins', () => {
    const policy = aPolicy({ defaultDays: 1 });

    expect(decidePurge(aRequest({ cutoff: daysAgo(1) }), policy, NOW, 3)).toMatchObject({ allowed: false });
    expect(decidePurge(aRequest({ cutoff: daysAgo(3) }), policy, NOW, 3)).toEqual({ allowed: true });
  });

  it('given a tenant that raised its retention after the request was issued, when judged, then it is refused', () => {
    // Issued when A kept 30 days (no cut-off of its own); A keeps 90 days now.
    const decision = decidePurge(aRequest(), aPolicy({ tenants: [{ tenantId: TENANT_A, days: 90 }] }), NOW, 1);

    expect(decision).toEqual({
      allowed: false,
      refusals: [{ tenantId: TENANT_A, requestedCutoff: new Date(daysAgo(30)), allowedCutoff: new Date(daysAgo(90)) }],
    });
  });

  it('given a tenant cut-off older than its new, longer policy, when judged, then only the stale one is named', () => {
    const request = aRequest({
      tenantCutoffs: [
        { tenantId: TENANT_A, cutoff: daysAgo(60) },
        { tenantId: TENANT_B, cutoff: daysAgo(60) },
      ],
    });
    const policy = aPolicy({
      tenants: [
        { tenantId: TENANT_A, days: 60 },
        { tenantId: TENANT_B, days: 120 },
      ],
    });

    const decision = decidePurge(request, policy, NOW, 1);

    expect(decision.allowed).toBe(false);
    expect(decision.allowed ? [] : decision.refusals.map((refusal) => refusal.tenantId)).toEqual([TENANT_B]);
  });

  it('given a tenant that returned to a longer default, when its old shorter cut-off is asked, then it is refused', () => {
    const request = aRequest({ tenantCutoffs: [{ tenantId: TENANT_A, cutoff: daysAgo(7) }] });

    expect(decidePurge(request, aPolicy(), NOW, 1)).toMatchObject({ allowed: false });
  });

  it('given a tenant that lowered its retention, when an older cut-off is asked, then it runs (it deletes less)', () => {
    const request = aRequest({ tenantCutoffs: [{ tenantId: TENANT_A, cutoff: daysAgo(90) }] });
    const policy = aPolicy({ tenants: [{ tenantId: TENANT_A, days: 7 }] });

    expect(decidePurge(request, policy, NOW, 1)).toEqual({ allowed: true });
  });

  it('given the request ran a moment later than issued, when judged, then the exact boundary still runs', () => {
    const later = new Date(NOW.getTime() + 5_000);

    expect(decidePurge(aRequest(), aPolicy(), NOW, 1)).toEqual({ allowed: true });
    expect(decidePurge(aRequest(), aPolicy(), later, 1)).toEqual({ allowed: true });
  });

  it('given a cut-off that is not an instant, when judged, then it is refused', () => {
    expect(decidePurge(aRequest({ cutoff: 'soon' }), aPolicy(), NOW, 1)).toMatchObject({ allowed: false });
  });

  it('given days and a floor, when the allowed cut-off is computed, then the longer of the two applies', () => {
    expect(allowedCutoff(NOW, 30, 1).toISOString()).toBe(daysAgo(30));
    expect(allowedCutoff(NOW, 1, 7).toISOString()).toBe(daysAgo(7));
  });
});
