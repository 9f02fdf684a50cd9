import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Clock } from '@shelfwatch/messaging';
import { createLogger } from '@shelfwatch/observability';
import { CrawlService } from '../crawls/crawl.service';
import { CrawlTrigger, ScheduledKeyword } from '../crawls/crawl.store';
import { ScheduleStore } from './schedule.store';
import { DownstreamBackpressure } from '../crawls/downstream-backpressure';
import { CATCH_UP_SPREAD_MS, CrawlScheduler } from './crawl.scheduler';

const MINUTE = 60_000;
const now = new Date('2026-11-22T10:00:00Z');
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function keyword(keywordId: string, lateMinutes: number): ScheduledKeyword & { dueAt: Date } {
  return {
    keywordId,
    tenantId: 'tenant-1',
    marketplace: 'naver',
    site: null,
    text: keywordId,
    intervalMinutes: 60,
    dueAt: new Date(now.getTime() - lateMinutes * MINUTE),
  };
}

/** A scheduler over due keywords held in memory: what it requests and where it moves each due time. */
function schedulerOver(due: (ScheduledKeyword & { dueAt: Date })[], backpressure = { paused: false }) {
  const em = {} as EntityManager;
  const seen = { looks: 0, requested: [] as [string, CrawlTrigger][], nextDue: new Map<string, Date>() };
  const orm = { em: { fork: () => ({ transactional: (work: (tx: EntityManager) => unknown) => work(em) }) } };
  const store = {
    lockDue: async (tx: EntityManager, at: Date, limit: number) => {
      seen.looks += 1;
      return tx === em && at === now ? due.slice(0, limit) : [];
    },
    setNextDue: async (_tx: EntityManager, keywordId: string, at: Date) => void seen.nextDue.set(keywordId, at),
  };
  const crawls = {
    request: async (tx: EntityManager, scheduled: ScheduledKeyword, trigger: CrawlTrigger) => {
      seen.requested.push([scheduled.keywordId, trigger]);
      return tx === em ? `crawl-of-${scheduled.keywordId}` : null;
    },
  };
  const clock: Clock = { now: () => now };
  const scheduler = new CrawlScheduler(
    orm as unknown as MikroORM,
    store as unknown as ScheduleStore,
    crawls as unknown as CrawlService,
    backpressure as DownstreamBackpressure,
    clock,
    { intervalMs: 3_600_000, logger: createLogger({ service: 'crawl-scheduler-test', level: 'silent' }) },
  );
  return { scheduler, seen };
}

describe('crawl scheduler', () => {
  it('Given a keyword due within its interval and one that missed a day, When due crawls are scheduled, Then the first is requested and moved one interval on, the second re-spread over the catch-up window', async () => {
    const { scheduler, seen } = schedulerOver([keyword('on-time', 10), keyword('missed-a-day', 24 * 60)]);

    expect(await scheduler.scheduleDue()).toBe(1);

    expect(seen.requested).toEqual([['on-time', 'schedule']]);
    const onTime = (seen.nextDue.get('on-time')?.getTime() ?? 0) - now.getTime();
    expect(onTime).toBeGreaterThanOrEqual(0.9 * 60 * MINUTE);
    expect(onTime).toBeLessThanOrEqual(1.1 * 60 * MINUTE);
    const respread = (seen.nextDue.get('missed-a-day')?.getTime() ?? -1) - now.getTime();
    expect(respread).toBeGreaterThanOrEqual(0);
    expect(respread).toBeLessThanOrEqual(CATCH_UP_SPREAD_MS);
  });

  it('Given no back-pressure, When the app boots, Then the loop looks for due keywords at once', async () => {
    const { scheduler, seen } = schedulerOver([keyword('on-time', 10)]);
    scheduler.onApplicationBootstrap();
    try {
      await tick();
      expect(seen.looks).toBe(1);
      expect(seen.requested).toEqual([['on-time', 'schedule']]);
    } finally {
      await scheduler.beforeApplicationShutdown();
    }
  });

  it('Given downstream back-pressure, When the loop runs, Then no due keyword is looked at or requested', async () => {
    const { scheduler, seen } = schedulerOver([keyword('on-time', 10)], { paused: true });
    scheduler.onApplicationBootstrap();
    try {
      await tick();
      expect(seen).toEqual({ looks: 0, requested: [], nextDue: new Map() });
    } finally {
      await scheduler.beforeApplicationShutdown();
    }
  });
});
