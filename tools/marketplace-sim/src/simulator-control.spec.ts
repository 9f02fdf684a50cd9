import { makeControl, T0 } from '../test/fixtures';
import { groundTruth } from './ground-truth';
import { searchPage } from './search.route';

const params = { query: 'wireless earbuds', display: 100, start: 1, sort: 'sim' as const, filter: {} };

describe('SimulatorControl', () => {
  it('pages through the shelf without gaps or overlap, equal to the ground truth of the moment', () => {
    const { control } = makeControl();
    const pages = [1, 101, 201, 301].map((start) => searchPage(control, { ...params, start }));
    const ids = pages.flatMap((page) => page.items.map((item) => item.productId));
    const truth = groundTruth(42, 'wireless earbuds', T0);
    expect(pages[0]?.total).toBe(truth.length);
    expect(ids).toEqual(truth.slice(0, ids.length).map((item) => item.productId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages.map((page) => page.display)).toEqual(pages.map((page) => page.items.length));
  });

  it('logs each request with its arrival on the real clock, its client id and its answer, until reset', () => {
    const { control, clock } = makeControl();
    control.setClock({ now: '2026-01-01T00:00:00Z' });
    control.record('a', 'earbuds', 200, { atMs: clock.wallMs(), errorCode: null });
    clock.advance(250);
    control.record(undefined, undefined, 429, { atMs: clock.wallMs(), errorCode: '010' });
    expect(control.requests()).toEqual([
      { at: T0.toISOString(), clientId: 'a', query: 'earbuds', status: 200, errorCode: null },
      {
        at: new Date(T0.getTime() + 250).toISOString(),
        clientId: '(none)',
        query: null,
        status: 429,
        errorCode: '010',
      },
    ]);
    control.reset();
    expect(control.requests()).toEqual([]);
  });

  it('pins, shifts and unpins simulated time', () => {
    const { control, clock } = makeControl();
    control.setClock({ now: '2026-01-01T00:00:00Z' });
    clock.advance(60_000);
    expect(control.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    control.setClock({ now: null, offsetMs: 3_600_000 });
    expect(control.now().getTime()).toBe(T0.getTime() + 60_000 + 3_600_000);
    expect(() => control.setClock({ now: 'yesterday' })).toThrow('ISO-8601');
  });

  it('throttles per client id per rolling second with 012', () => {
    const { control, clock } = makeControl();
    control.setFaults({ throttlePerSecond: 2 });
    const kinds = () => control.admit('a', 's').kind;
    expect([kinds(), kinds(), kinds()]).toEqual(['serve', 'serve', 'error']);
    expect(control.admit('b', 's').kind).toBe('serve');
    clock.advance(1_000);
    expect(kinds()).toBe('serve');
  });

  it('counts the daily quota per client and simulated Korean day, then answers 010 with the count', () => {
    const { control } = makeControl();
    control.setFaults({ dailyQuota: 2 });
    control.setClock({ now: '2026-03-02T14:59:00Z' }); // 23:59 in Korea
    control.admit('a', 's');
    control.admit('a', 's');
    expect(control.admit('a', 's')).toEqual({ kind: 'error', error: { kind: 'quota', count: 3, quota: 2 } });
    control.setClock({ now: '2026-03-02T15:00:00Z' }); // midnight in Korea: a new day
    expect(control.admit('a', 's').kind).toBe('serve');
  });

  it('answers 401 024 to the rejected client ids only, as to a wrong secret', () => {
    const { control } = makeControl();
    control.setFaults({ rejectedClientIds: ['revoked'] });

    expect(control.admit('revoked', 's')).toEqual({ kind: 'error', error: { kind: 'auth', missing: 'secret' } });
    expect(control.admit('other', 's').kind).toBe('serve');
    expect(() => control.setFaults({ rejectedClientIds: [''] })).toThrow('rejectedClientIds');
    expect(() => control.setFaults({ rejectedClientIds: 'revoked' })).toThrow('rejectedClientIds');
  });

  it('fails the same requests for the same errorRate on every run', () => {
    const run = () => {
      const { control } = makeControl();
      control.setFaults({ errorRate: 0.3 });
      return Array.from({ length: 200 }, () => control.admit('a', 's').kind);
    };
    const first = run();
    expect(run()).toEqual(first);
    const failures = first.filter((kind) => kind === 'error').length;
    expect(failures).toBeGreaterThan(35);
    expect(failures).toBeLessThan(85);
  });

  it('rejects nonsense faults and forgets everything on reset', () => {
    const { control } = makeControl();
    expect(() => control.setFaults({ errorRate: 2 })).toThrow('errorRate must be a number from 0 to 1');
    expect(() => control.setFaults({ bogus: 1 })).toThrow('unknown fault "bogus"');
    control.setFaults({ outage: true, latencyMs: 5 });
    expect(control.faults()).toMatchObject({ outage: 'reset', latencyMs: 5 });
    control.record('a', 'Desk  Lamp', 200);
    control.reset();
    expect(control.faults().outage).toBe(false);
    expect(control.stats()).toEqual({ total: 0, clients: {}, queries: {} });
  });
});
