import { hasSeries, metricValue } from '../test/metric-value';
import { Breaker, type BreakerAction, type BreakerOptions, type BreakerState, createBreaker } from './breaker';
import { HttpStatusError, isBreakerOpen } from './errors';
import { RESILIENCE_METRICS } from './metrics';

const created: Pick<Breaker<unknown[], unknown>, 'shutdown'>[] = [];
let seq = 0;

function breaker<TArgs extends unknown[], TResult>(
  action: BreakerAction<TArgs, TResult>,
  options: BreakerOptions = {},
): Breaker<TArgs, TResult> {
  seq += 1;
  const made = createBreaker(`dep-${seq}`, action, options);
  created.push(made);
  return made;
}

afterEach(() => created.splice(0).forEach((made) => made.shutdown()));

/** An action that rejects with `status` and counts its calls. */
function failingWith(status: number): { action: (signal: AbortSignal) => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    action: async () => {
      calls += 1;
      throw new HttpStatusError(status);
    },
    calls: () => calls,
  };
}

async function fireIgnoringErrors(target: Breaker<[], string>, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await target.fire().catch(() => undefined);
  }
}

function nextState(target: Breaker<[], string>): Promise<BreakerState> {
  return new Promise((resolve) => {
    const stop = target.onStateChange((state) => {
      stop();
      resolve(state);
    });
  });
}

/** Rejects when `signal` aborts and records that the in-flight work saw it; never resolves otherwise. */
function hangUntilAborted(seen: AbortSignal[]): (signal: AbortSignal) => Promise<string> {
  return (signal) =>
    new Promise((_, reject) => {
      seen.push(signal);
      signal.addEventListener('abort', () => reject(new Error('aborted by signal')));
    });
}

const stateOf = (name: string): Promise<number> => metricValue(RESILIENCE_METRICS.breakerState, { breaker: name });
const callsOf = (name: string, outcome: string): Promise<number> =>
  metricValue(RESILIENCE_METRICS.breakerCalls, { breaker: name, outcome });

describe('Breaker', () => {
  it('passes arguments and a fresh AbortSignal to the action and returns its result', async () => {
    const target = breaker(async (id: string, signal: AbortSignal) => `${id}:${String(signal.aborted)}`);

    await expect(target.fire('sku-1')).resolves.toBe('sku-1:false');
    expect(target.state).toBe('closed');
    expect(await callsOf(target.name, 'success')).toBe(1);
  });

  it('with default options stays closed for 9 failures and opens on the 10th (volumeThreshold 10)', async () => {
    const upstream = failingWith(503);
    const target = breaker(upstream.action);

    await fireIgnoringErrors(target, 9);
    expect(target.state).toBe('closed');
    await fireIgnoringErrors(target, 1);

    expect(target.state).toBe('open');
    expect(await stateOf(target.name)).toBe(2);
    expect(await callsOf(target.name, 'failure')).toBe(10);
  });

  it('once open rejects with an open-breaker error without calling the action', async () => {
    const upstream = failingWith(503);
    const target = breaker(upstream.action, { volumeThreshold: 2 });
    await fireIgnoringErrors(target, 2);

    const rejection = await target.fire().catch((err: unknown) => err);

    expect(isBreakerOpen(rejection)).toBe(true);
    expect(upstream.calls()).toBe(2);
    expect(await callsOf(target.name, 'rejected')).toBe(1);
  });

  it('fails fast while open without a stack, but passes on the stack of an error the action threw', async () => {
    const upstream = failingWith(503);
    const target = breaker(upstream.action, { volumeThreshold: 2 });
    const actionError = await target.fire().catch((err: unknown) => err);
    await fireIgnoringErrors(target, 1);

    const rejection = await target.fire().catch((err: unknown) => err);

    expect(isBreakerOpen(rejection)).toBe(true);
    expect((rejection as Error).stack).toBe('Error: Breaker is open');
    expect((actionError as Error).stack).toContain('\n    at ');
  });

  it('does not open on 404s, which still reject to the caller', async () => {
    const upstream = failingWith(404);
    const target = breaker(upstream.action, { volumeThreshold: 2 });

    await expect(target.fire()).rejects.toMatchObject({ status: 404 });
    await fireIgnoringErrors(target, 19);

    expect(target.state).toBe('closed');
    expect(upstream.calls()).toBe(20);
    expect(await callsOf(target.name, 'filtered')).toBe(20);
    expect(await callsOf(target.name, 'failure')).toBe(0);
  });

  it.each([408, 429, 500, 503])('opens on %i', async (status) => {
    const target = breaker(failingWith(status).action, { volumeThreshold: 3 });

    await fireIgnoringErrors(target, 3);

    expect(target.state).toBe('open');
  });

  it('aborts the in-flight call signal when the timeout elapses', async () => {
    const seen: AbortSignal[] = [];
    const target = breaker(hangUntilAborted(seen), { timeout: 10 });

    const rejection = await target.fire().catch((err: unknown) => err);

    expect(rejection).toMatchObject({ code: 'ETIMEDOUT' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.aborted).toBe(true);
    expect(seen[0]?.reason).toBe(rejection);
    expect(await callsOf(target.name, 'timeout')).toBe(1);
    expect(await callsOf(target.name, 'failure')).toBe(0);
  });

  it('aborts only the call that timed out: concurrent and later calls keep live signals', async () => {
    const seen: AbortSignal[] = [];
    let slow = true;
    const target = breaker(
      async (signal: AbortSignal) => {
        if (slow) {
          slow = false;
          return hangUntilAborted(seen)(signal);
        }
        seen.push(signal);
        return signal.aborted ? 'pre-aborted' : 'ok';
      },
      { timeout: 10 },
    );

    const [timedOut, concurrent] = await Promise.allSettled([target.fire(), target.fire()]);
    const later = await target.fire();

    expect(timedOut).toMatchObject({ status: 'rejected', reason: { code: 'ETIMEDOUT' } });
    expect(concurrent).toEqual({ status: 'fulfilled', value: 'ok' });
    expect(later).toBe('ok');
    expect(seen.map((signal) => signal.aborted)).toEqual([true, false, false]);
  });

  it('goes half-open after resetTimeout and closes when the probe succeeds', async () => {
    let healthy = false;
    const target = breaker(
      async (_signal: AbortSignal) => {
        if (!healthy) {
          throw new HttpStatusError(503);
        }
        return 'ok';
      },
      { volumeThreshold: 2, resetTimeout: 50 },
    );
    await fireIgnoringErrors(target, 2);
    expect(target.state).toBe('open');

    await expect(nextState(target)).resolves.toBe('halfOpen');
    expect(await stateOf(target.name)).toBe(1);
    healthy = true;

    await expect(target.fire()).resolves.toBe('ok');
    expect(target.state).toBe('closed');
    expect(await stateOf(target.name)).toBe(0);
  });

  it('re-opens when the half-open probe fails', async () => {
    const target = breaker(failingWith(503).action, { volumeThreshold: 2, resetTimeout: 25 });
    await fireIgnoringErrors(target, 2);
    await nextState(target);

    await fireIgnoringErrors(target, 1);

    expect(target.state).toBe('open');
    expect(await stateOf(target.name)).toBe(2);
  });

  it('on shutdown aborts in-flight calls, rejects later ones and drops its state series', async () => {
    const seen: AbortSignal[] = [];
    const target = breaker(hangUntilAborted(seen), { timeout: 60_000 });
    const inFlight = target.fire().catch((err: unknown) => err);

    target.shutdown();

    await expect(inFlight).resolves.toBeInstanceOf(Error);
    expect(seen[0]?.aborted).toBe(true);
    await expect(target.fire()).rejects.toMatchObject({ code: 'ESHUTDOWN' });
    expect(target.isShutdown).toBe(true);
    expect(await hasSeries(RESILIENCE_METRICS.breakerState, { breaker: target.name })).toBe(false);
  });

  it('with a shared metric label counts calls under it and keeps no state series of its own name', async () => {
    const label = `shared-${seq}`;
    const first = breaker(failingWith(503).action, { sharedMetricLabel: label, volumeThreshold: 1 });
    const second = breaker(async () => 'ok', { sharedMetricLabel: label });

    await fireIgnoringErrors(first, 1);
    await second.fire();

    expect(first.state).toBe('open');
    expect(await callsOf(label, 'failure')).toBe(1);
    expect(await callsOf(label, 'success')).toBe(1);
    expect(await hasSeries(RESILIENCE_METRICS.breakerCalls, { breaker: first.name })).toBe(false);
    expect(await hasSeries(RESILIENCE_METRICS.breakerState, { breaker: first.name })).toBe(false);
    expect(await hasSeries(RESILIENCE_METRICS.breakerState, { breaker: label })).toBe(false);
  });

  it('treats explicitly undefined options as defaults rather than disabling them', async () => {
    const target = breaker(failingWith(503).action, { volumeThreshold: undefined });

    await fireIgnoringErrors(target, 9);

    expect(target.state).toBe('closed');
    expect(target.stats.fires).toBe(9);
  });
});
