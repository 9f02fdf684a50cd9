import { BackgroundLoop, BackgroundLoopOptions } from './background-loops';
import { backgroundLoopFailuresCounter } from './metrics';

/** Error logs a loop wrote, as `[message, fields]`. */
function capturingLogger(): { logger: BackgroundLoopOptions['logger']; errors: [string, object][] } {
  const errors: [string, object][] = [];
  return { logger: { error: (fields, message) => errors.push([message, fields]) }, errors };
}

async function failuresOf(loop: string): Promise<number> {
  const metric = await backgroundLoopFailuresCounter().get();
  return metric.values.find((value) => value.labels.loop === loop)?.value ?? 0;
}

/** A body that records when each iteration starts (fake ms) and takes `takesMs` to finish. */
function timedBody(takesMs: number, outcomes: (boolean | Error)[] = []) {
  const starts: number[] = [];
  const body = async (): Promise<boolean> => {
    starts.push(Date.now());
    if (takesMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, takesMs));
    }
    const outcome = outcomes.shift() ?? false;
    if (outcome instanceof Error) {
      throw outcome;
    }
    return outcome;
  };
  return { starts, body };
}

/** Stops the loop, letting fake time run so that an iteration in flight can finish. */
async function stopped(loop: BackgroundLoop): Promise<void> {
  const stopping = loop.stop();
  await jest.advanceTimersByTimeAsync(1_000);
  await stopping;
}

describe('BackgroundLoop', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('starts at once and counts the interval from the end of an iteration, never overlapping', async () => {
    const { starts, body } = timedBody(50);
    const loop = new BackgroundLoop({ name: 'sweep', intervalMs: 100, body, logger: capturingLogger().logger });

    loop.start();
    await jest.advanceTimersByTimeAsync(460);
    await stopped(loop);

    expect(starts).toEqual([0, 150, 300, 450]);
  });

  it('runs again without a pause when the body says more work is waiting', async () => {
    const { starts, body } = timedBody(10, [true, true, false]);
    const loop = new BackgroundLoop({ name: 'worker', intervalMs: 1_000, body, logger: capturingLogger().logger });

    loop.start();
    await jest.advanceTimersByTimeAsync(1_100);
    await stopped(loop);

    expect(starts).toEqual([0, 10, 20, 1_030]);
  });

  it('logs a failed iteration as "<name> failed" with its error, counts it and goes on', async () => {
    const failure = new Error('database away');
    const { starts, body } = timedBody(0, [failure, false]);
    const { logger, errors } = capturingLogger();
    const before = await failuresOf('flaky sweep');
    const loop = new BackgroundLoop({ name: 'flaky sweep', intervalMs: 100, body, logger });

    loop.start();
    await jest.advanceTimersByTimeAsync(250);
    await stopped(loop);

    expect(errors).toEqual([['flaky sweep failed', { err: failure, delayMs: 100 }]]);
    expect((await failuresOf('flaky sweep')) - before).toBe(1);
    expect(starts).toEqual([0, 100, 200]);
  });

  it('backs off exponentially after consecutive failures, up to the maximum, and resets on success', async () => {
    const boom = new Error('boom');
    const { starts, body } = timedBody(0, [boom, boom, boom, boom, false, boom, false]);
    const loop = new BackgroundLoop({
      name: 'relay',
      intervalMs: 50,
      body,
      logger: capturingLogger().logger,
      backoff: { baseMs: 100, maxMs: 1_000 },
    });

    loop.start();
    await jest.advanceTimersByTimeAsync(2_700);
    await stopped(loop);

    // Pauses 200, 400, 800, 1000 (capped) after failures, 50 after the success, 200 after the next failure.
    expect(starts).toEqual([0, 200, 600, 1_400, 2_400, 2_450, 2_650, 2_700]);
  });

  it('waits for the iteration in flight on stop and starts no other', async () => {
    const { starts, body } = timedBody(300);
    const loop = new BackgroundLoop({ name: 'worker', intervalMs: 10, body, logger: capturingLogger().logger });
    let stopped = false;

    loop.start();
    await jest.advanceTimersByTimeAsync(100);
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await jest.advanceTimersByTimeAsync(150);
    expect(stopped).toBe(false);
    await jest.advanceTimersByTimeAsync(100);
    await stopping;
    await jest.advanceTimersByTimeAsync(1_000);

    expect(stopped).toBe(true);
    expect(starts).toEqual([0]);
  });

  it('ends a pause early when woken, and says whether it was pausing', async () => {
    const { starts, body } = timedBody(20);
    const loop = new BackgroundLoop({ name: 'worker', intervalMs: 10_000, body, logger: capturingLogger().logger });

    loop.start();
    expect(loop.wake()).toBe(false);
    await jest.advanceTimersByTimeAsync(100);
    expect(loop.wake()).toBe(true);
    await jest.advanceTimersByTimeAsync(0);
    await stopped(loop);

    expect(starts).toEqual([0, 100]);
  });

  /** A relay-like loop that fails twice, then succeeds, backing off from `baseMs`; its iterations' starts. */
  function twiceFailingLoop(baseMs: number): { loop: BackgroundLoop; starts: number[] } {
    const { starts, body } = timedBody(0, [new Error('broker down'), new Error('broker down'), false]);
    const logger = capturingLogger().logger;
    const backoff = { baseMs, maxMs: baseMs * 60 };
    return { loop: new BackgroundLoop({ name: 'relay', intervalMs: 10_000, body, logger, backoff }), starts };
  }

  it('does not end the back-off after a failure when woken, but stops during it', async () => {
    const { loop, starts } = twiceFailingLoop(100);

    loop.start();
    await jest.advanceTimersByTimeAsync(50);
    expect(loop.wake()).toBe(false); // backing off 200 ms after the first failure
    await jest.advanceTimersByTimeAsync(300); // second failure at 200 ms, backing off 400 ms
    expect(loop.wake()).toBe(false);
    await jest.advanceTimersByTimeAsync(300);
    expect(starts).toEqual([0, 200, 600]);
    expect(loop.wake()).toBe(true); // a success's ordinary pause is woken
    await jest.advanceTimersByTimeAsync(0);
    expect(starts).toEqual([0, 200, 600, 650]);

    const failing = new BackgroundLoop({
      name: 'relay',
      intervalMs: 10_000,
      body: () => Promise.reject(new Error('broker down')),
      logger: capturingLogger().logger,
      backoff: { baseMs: 10_000, maxMs: 60_000 },
    });
    failing.start();
    await jest.advanceTimersByTimeAsync(10);
    let stoppedAt: number | undefined;
    const stopAskedAt = Date.now(); // 10 ms into a 20 s back-off
    void failing.stop().then(() => (stoppedAt = Date.now()));
    await jest.advanceTimersByTimeAsync(0);
    expect(stoppedAt).toBe(stopAskedAt);
    await stopped(loop);
  });

  it('ends a back-off when told that what failed works again', async () => {
    const { loop, starts } = twiceFailingLoop(1_000);

    loop.start();
    await jest.advanceTimersByTimeAsync(100); // backing off 2 s after the first failure
    expect(loop.retryNow()).toBe(true);
    await jest.advanceTimersByTimeAsync(0); // second failure at 100 ms, backing off 4 s
    await jest.advanceTimersByTimeAsync(100);
    expect(loop.retryNow()).toBe(true);
    await jest.advanceTimersByTimeAsync(0);
    expect(starts).toEqual([0, 100, 200]);
    await stopped(loop);
  });

  it('waits one interval before the first iteration when asked to', async () => {
    const { starts, body } = timedBody(0);
    const loop = new BackgroundLoop({
      name: 'purge',
      intervalMs: 100,
      body,
      logger: capturingLogger().logger,
      delayFirst: true,
    });

    loop.start();
    await jest.advanceTimersByTimeAsync(250);
    await stopped(loop);

    expect(starts).toEqual([100, 200]);
  });
});
