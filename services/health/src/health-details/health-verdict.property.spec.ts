import fc from 'fast-check';
import { ComponentStatus, HealthComponent, OverallStatus, overallStatus } from './health-verdict';

const NAMES = ['postgres', 'nats', 'jetstream', 'service:ranking', 'crawl-freshness', 'marketplace:naver'];
const STATUSES: ComponentStatus[] = ['up', 'degraded', 'down', 'unknown'];
const SEVERITY: Record<OverallStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

const components: fc.Arbitrary<HealthComponent[]> = fc.array(
  fc.record({
    name: fc.constantFrom(...NAMES),
    status: fc.constantFrom(...STATUSES),
    latencyMs: fc.nat(50),
    message: fc.constant(null),
  }),
  { maxLength: 8 },
);

describe('health verdict (properties)', () => {
  it('is unhealthy exactly when Postgres, NATS or JetStream is down; else degraded exactly when anything is off', () => {
    fc.assert(
      fc.property(components, (given) => {
        const criticalDown = given.some(
          (c) => ['postgres', 'nats', 'jetstream'].includes(c.name) && c.status === 'down',
        );
        const off = given.some((c) => c.status === 'degraded' || c.status === 'down');
        expect(overallStatus(given)).toBe(criticalDown ? 'unhealthy' : off ? 'degraded' : 'healthy');
      }),
      { numRuns: 200 },
    );
  });

  it('never gets better when one more component is reported, and an unknown one changes nothing', () => {
    fc.assert(
      fc.property(components, components, (given, more) => {
        const before = SEVERITY[overallStatus(given)];
        expect(SEVERITY[overallStatus([...given, ...more])]).toBeGreaterThanOrEqual(before);
        const unknown = more.map((c) => ({ ...c, status: 'unknown' as const }));
        expect(overallStatus([...given, ...unknown])).toBe(overallStatus(given));
      }),
      { numRuns: 200 },
    );
  });
});
