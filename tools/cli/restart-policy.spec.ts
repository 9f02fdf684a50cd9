import { DEFAULT_RESTART_POLICY, RestartPolicy, decideRestart } from './restart-policy';

const policy: RestartPolicy = DEFAULT_RESTART_POLICY;
const SECOND = 1_000;

describe('restart policy', () => {
  it('restarts a first exit after 1 s, and doubles the delay with each exit in the window', () => {
    // Given exits at 0, 2, 5 and 10 s, when the service exits again each time:
    const exits = [0, 2 * SECOND, 5 * SECOND, 10 * SECOND];
    const decisions = exits.map((now, index) => decideRestart(exits.slice(0, index), now, policy));
    // Then it is restarted after 1, 2, 4 and 8 s, counting attempts.
    expect(decisions).toEqual([
      { kind: 'restart', delayMs: 1_000, attempt: 1 },
      { kind: 'restart', delayMs: 2_000, attempt: 2 },
      { kind: 'restart', delayMs: 4_000, attempt: 3 },
      { kind: 'restart', delayMs: 8_000, attempt: 4 },
    ]);
  });

  it('gives up on the fifth exit within a minute, whatever order the earlier exits are given in', () => {
    const earlier = [40 * SECOND, 10 * SECOND, 59 * SECOND, 30 * SECOND];
    expect(decideRestart(earlier, 60 * SECOND, policy)).toEqual({ kind: 'give-up', exits: 5, windowMs: 60_000 });
  });

  it('forgets exits older than the window: a service crashing now and then is always restarted', () => {
    // One crash every 61 s for an hour never adds up to five within a minute.
    const exits = Array.from({ length: 60 }, (_, index) => index * 61 * SECOND);
    for (const [index, now] of exits.entries()) {
      expect(decideRestart(exits.slice(0, index), now, policy)).toEqual({
        kind: 'restart',
        delayMs: 1_000,
        attempt: 1,
      });
    }
  });

  it('never waits longer than the cap, however many exits a lenient policy allows', () => {
    const lenient = { ...policy, maxExits: 100 };
    const earlier = Array.from({ length: 20 }, (_, index) => index * 100);
    expect(decideRestart(earlier, 2 * SECOND, lenient)).toEqual({ kind: 'restart', delayMs: 30_000, attempt: 21 });
  });
});
