import { createLogger } from '@shelfwatch/observability';
import { CrawlLoops } from './crawl.loops';
import { CrawlWorker } from './crawl.worker';
import { DownstreamBackpressure } from './downstream-backpressure';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Counts what the loops ask of the workers; there is never any work to claim. */
function loopsWithCounters(backpressure = { paused: false }) {
  const calls = { runNext: 0 };
  const worker = {
    runNext: async () => {
      calls.runNext += 1;
      return false;
    },
  } as unknown as CrawlWorker;
  const loops = new CrawlLoops(worker, backpressure as DownstreamBackpressure, {
    workers: 2,
    workerPollMs: 3_600_000,
    logger: createLogger({ service: 'crawl-loops-test', level: 'silent' }),
  });
  return { loops, calls };
}

describe('crawl loops', () => {
  it('Given idle workers, When a crawl is requested (nudge), Then one worker looks for it', async () => {
    const { loops, calls } = loopsWithCounters();
    loops.onApplicationBootstrap();
    try {
      await tick();
      expect(calls).toEqual({ runNext: 2 });
      for (let i = 0; i < 3; i++) {
        loops.nudge();
        await tick();
      }
      expect(calls).toEqual({ runNext: 5 });
    } finally {
      await loops.beforeApplicationShutdown();
    }
  });

  it('Given downstream back-pressure, When the loops run and a crawl is requested, Then nothing is claimed until it lifts', async () => {
    const backpressure = { paused: true };
    const { loops, calls } = loopsWithCounters(backpressure);
    loops.onApplicationBootstrap();
    try {
      await tick();
      loops.nudge();
      await tick();
      expect(calls).toEqual({ runNext: 0 });
      backpressure.paused = false;
      loops.nudge();
      await tick();
      expect(calls).toEqual({ runNext: 1 });
    } finally {
      await loops.beforeApplicationShutdown();
    }
  });
});
