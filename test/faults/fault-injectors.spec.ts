import { syncIntervalSupport } from './fault-injectors';

describe('NATS SIGKILL fault support', () => {
  it('runs the fault, fsyncing every write, from nats-server 2.10 on', () => {
    for (const version of ['2.10.0', '2.12.1', '3.0.0']) {
      const support = syncIntervalSupport(version, false);
      expect(support.supported).toBe(true);
      expect(support.config).toContain('sync_interval: always');
    }
  });

  it('skips it below 2.10, whose configuration has no sync_interval, unless forced', () => {
    for (const version of ['2.9.10', '2.9.25', '1.4.1']) {
      expect(syncIntervalSupport(version, false)).toEqual({
        version,
        supported: false,
        forced: false,
        config: undefined,
      });
    }
    expect(syncIntervalSupport('2.9.10', true)).toMatchObject({ supported: false, forced: true, config: undefined });
  });
});
