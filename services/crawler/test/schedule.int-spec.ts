import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { EventEnvelope, STREAMS, buildEvent } from '@shelfwatch/contracts';
import { eventually, readStream, untilOutboxDrained } from '@shelfwatch/testing';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { CrawlerAppModule } from '../src/app.module';
import { CrawlerConfig, loadCrawlerConfig } from '../src/crawler.config';
import { crawlerPersistence } from '../src/crawler.persistence';

/** The due-crawl loop: keywords projected from tracking events are crawled when due, and only then. */
describe('crawler schedule', () => {
  let booted: BootedService<CrawlerConfig>;
  let orm: MikroORM;
  const tenantId = randomUUID();

  beforeAll(async () => {
    booted = await bootInTestEnvironment(
      crawlerPersistence,
      loadCrawlerConfig,
      (config, logger) => CrawlerAppModule.forConfig(config, logger),
      // Nothing answers on this port: the scheduled crawls fail, which is fine here.
      () => ({ NAVER_API_BASE_URL: 'http://127.0.0.1:9', CRAWL_SCHEDULER_INTERVAL_MS: '200' }),
    );
    orm = booted.sut.app.get(MikroORM);
  });

  afterAll(async () => {
    await booted?.stop();
  });

  async function addKeyword(keywordId: string, keyword: string): Promise<void> {
    const { nats } = booted.environment;
    const event = buildEvent(
      'tracking.keyword.added',
      { productId: randomUUID(), keywordId, keyword, marketplace: 'naver', intervalMinutes: 60 },
      { tenantId, correlationId: randomUUID(), causationId: null },
      { id: randomUUID(), occurredAt: new Date() },
    );
    await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID: event.id });
    await eventually(async () => {
      const rows = await orm.em.fork().execute('select 1 from crawler.keywords where keyword_id = ?', [keywordId]);
      expect(rows).toHaveLength(1);
    });
  }

  async function nextDueAt(keywordId: string): Promise<number> {
    const [row] = await orm.em
      .fork()
      .execute<{ next_due_at: Date }[]>('select next_due_at from crawler.keywords where keyword_id = ?', [keywordId]);
    return new Date(row?.next_due_at ?? 0).getTime();
  }

  async function requested(): Promise<EventEnvelope<'crawl.requested'>[]> {
    const { nats } = booted.environment;
    const messages = await readStream(
      nats,
      nats.topology.streamName(STREAMS.CRAWL),
      nats.topology.subject('crawl.requested'),
    );
    return messages.map((message) => message.json<EventEnvelope<'crawl.requested'>>());
  }

  it('first schedules a new keyword within five minutes, not at once', async () => {
    const keywordId = randomUUID();
    // Bracketed by the clock before and after, not by a tolerance that a loaded machine can exceed.
    const before = Date.now();
    await addKeyword(keywordId, 'fresh keyword');
    const due = await nextDueAt(keywordId);
    expect(due).toBeGreaterThanOrEqual(before);
    expect(due).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
  });

  it('requests a due keyword once and moves its next crawl about an interval on', async () => {
    const keywordId = randomUUID();
    await addKeyword(keywordId, 'due keyword');
    const before = Date.now();
    await orm.em
      .fork()
      .execute(
        `update crawler.keywords set next_due_at = now() - interval '1 minute' where keyword_id = ?`,
        [keywordId],
        'run',
      );
    // The scheduler ran once it moved the keyword on; its requests are all in the stream once the outbox is drained.
    const due = await eventually(async () => {
      const moved = await nextDueAt(keywordId);
      expect(moved).toBeGreaterThan(Date.now());
      return moved;
    });
    await untilOutboxDrained(orm, 'crawler');
    const mine = (await requested()).filter((event) => event.data.keywordId === keywordId);
    expect(mine.map((event) => event.data.trigger)).toEqual(['schedule']);
    // One interval (60 min) ± 10 % after the scheduler ran, which was between `before` and now.
    expect(due).toBeGreaterThanOrEqual(before + 54 * 60_000);
    expect(due).toBeLessThanOrEqual(Date.now() + 66 * 60_000);
  });

  it('spreads a keyword that missed whole intervals instead of crawling it with every other', async () => {
    const keywordId = randomUUID();
    await addKeyword(keywordId, 'overdue keyword');
    const before = Date.now();
    await orm.em
      .fork()
      .execute(
        `update crawler.keywords set next_due_at = now() - interval '1 day' where keyword_id = ?`,
        [keywordId],
        'run',
      );
    await eventually(async () => {
      const due = await nextDueAt(keywordId);
      expect(due).toBeGreaterThanOrEqual(before);
      expect(due).toBeLessThanOrEqual(Date.now() + 10 * 60_000);
    });
    // A crawl.requested the re-spread had written would be in the stream once the outbox is drained.
    await untilOutboxDrained(orm, 'crawler');
    expect((await requested()).filter((event) => event.data.keywordId === keywordId)).toHaveLength(0);
  });
});
