import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { EventData, EventEnvelope, EventType, STREAMS, buildEvent } from '@shelfwatch/contracts';
import { eventually, keywordAddedData, readStream, untilOutboxDrained } from '@shelfwatch/testing';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { CrawlerAppModule } from '../src/app.module';
import { CrawlScheduler } from '../src/schedule/crawl.scheduler';
import { CrawlerConfig, loadCrawlerConfig } from '../src/crawler.config';
import { crawlerPersistence } from '../src/crawler.persistence';

interface ScheduleRow {
  interval_minutes: number;
  paused: boolean;
  next_due_at: Date;
}

/**
 * The crawler's schedule projection when the events of a keyword arrive out of order (a redelivery after a
 * failure): each event is delivered over the real NATS, one after the other in the order a test chooses,
 * and the schedule must end as the newest version says.
 */
describe('versioned schedule projection', () => {
  let booted: BootedService<CrawlerConfig>;
  let orm: MikroORM;
  const tenantId = randomUUID();

  beforeAll(async () => {
    booted = await bootInTestEnvironment(
      crawlerPersistence,
      loadCrawlerConfig,
      (config, logger) => CrawlerAppModule.forConfig(config, logger),
      // Nothing answers on this port: the scheduled crawls fail, which is fine here. The tests run the
      // scheduler themselves, so its own round never moves a due time they look at.
      () => ({ NAVER_API_BASE_URL: 'http://127.0.0.1:9', CRAWL_SCHEDULER_INTERVAL_MS: '3600000' }),
    );
    orm = booted.sut.app.get(MikroORM);
  });

  afterAll(async () => {
    await booted?.stop();
  });

  async function query<T>(sql: string, params: unknown[]): Promise<T[]> {
    return orm.em.fork().execute<T[]>(sql, params);
  }

  /** Delivers one event and waits until the crawler has handled it (its inbox holds the event). */
  async function deliver<T extends EventType>(type: T, data: EventData<T>, tenant = tenantId): Promise<void> {
    const { nats } = booted.environment;
    const event = buildEvent(
      type,
      data,
      { tenantId: tenant, correlationId: randomUUID(), causationId: null },
      { id: randomUUID(), occurredAt: new Date() },
    );
    await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID: event.id });
    await eventually(async () => {
      expect(await query('select 1 from crawler.inbox where event_id = ?', [event.id])).toHaveLength(1);
    });
  }

  async function schedule(keywordId: string): Promise<ScheduleRow | undefined> {
    const [row] = await query<ScheduleRow>(
      'select interval_minutes, paused, next_due_at from crawler.keywords where keyword_id = ?',
      [keywordId],
    );
    return row;
  }

  async function requested(keywordId: string): Promise<EventEnvelope<'crawl.requested'>[]> {
    const { nats } = booted.environment;
    const messages = await readStream(
      nats,
      nats.topology.streamName(STREAMS.CRAWL),
      nats.topology.subject('crawl.requested'),
    );
    return messages
      .map((message) => message.json<EventEnvelope<'crawl.requested'>>())
      .filter((event) => event.data.keywordId === keywordId);
  }

  it('leaves a keyword unscheduled when its removal arrives before its addition', async () => {
    const added = keywordAddedData({ keyword: 'added then removed', version: 1 });
    const { keywordId, productId } = added;
    await deliver('tracking.keyword.removed', { keywordId, productId, version: 2 });
    await deliver('tracking.keyword.added', added);
    expect(await schedule(keywordId)).toBeUndefined();
    expect(await query('select 1 from crawler.keyword_products where keyword_id = ?', [keywordId])).toHaveLength(0);
  });

  it('changes nothing when an older update arrives after a newer one', async () => {
    const added = keywordAddedData({ keyword: 'updated twice', intervalMinutes: 60, version: 1 });
    const { keywordId } = added;
    await deliver('tracking.keyword.added', added);
    await deliver('tracking.keyword.updated', { keywordId, intervalMinutes: 30, paused: true, version: 3 });
    await deliver('tracking.keyword.updated', { keywordId, intervalMinutes: 240, paused: false, version: 2 });
    expect(await schedule(keywordId)).toMatchObject({ interval_minutes: 30, paused: true });
  });

  it('schedules a keyword again when it is re-added after its removal with a newer version', async () => {
    const added = keywordAddedData({ keyword: 'back again', version: 1 });
    const { keywordId, productId } = added;
    await deliver('tracking.keyword.added', added);
    await deliver('tracking.keyword.removed', { keywordId, productId, version: 2 });
    expect(await schedule(keywordId)).toBeUndefined();
    await deliver('tracking.keyword.added', { ...added, version: 3 });
    expect(await schedule(keywordId)).toBeDefined();
    // And the late copy of the first removal does not unschedule it.
    await deliver('tracking.keyword.removed', { keywordId, productId, version: 2 });
    expect(await schedule(keywordId)).toBeDefined();
  });

  it('keeps a keyword scheduled while another product still uses it', async () => {
    const first = keywordAddedData({ keyword: 'shared', version: 1 });
    const { keywordId } = first;
    const second = { ...first, productId: randomUUID(), version: 2 };
    // The removal of the first link arrives before the second link was even added.
    await deliver('tracking.keyword.added', first);
    await deliver('tracking.keyword.removed', { keywordId, productId: first.productId, version: 3 });
    await deliver('tracking.keyword.added', second);
    expect(await schedule(keywordId)).toBeDefined();
  });

  it('takes the pause of an update that arrived before the keyword was added', async () => {
    const added = keywordAddedData({ keyword: 'paused early', intervalMinutes: 60, paused: false, version: 1 });
    const { keywordId } = added;
    await deliver('tracking.keyword.updated', { keywordId, intervalMinutes: 120, paused: true, version: 2 });
    await deliver('tracking.keyword.added', added);
    expect(await schedule(keywordId)).toMatchObject({ interval_minutes: 120, paused: true });
  });

  it('never schedules a keyword of a product that was removed, however late its addition arrives', async () => {
    const added = keywordAddedData({ keyword: 'of a removed product', version: 1 });
    await deliver('tracking.product.removed', { productId: added.productId, version: 2 });
    await deliver('tracking.keyword.added', added);
    expect(await schedule(added.keywordId)).toBeUndefined();
  });

  it('does not request a paused keyword that is due, while it requests an unpaused one due later', async () => {
    const paused = keywordAddedData({ keyword: 'paused and due', version: 1 });
    const active = keywordAddedData({ keyword: 'active and due', version: 1 });
    await deliver('tracking.keyword.added', paused);
    await deliver('tracking.keyword.added', active);
    await deliver('tracking.keyword.updated', {
      keywordId: paused.keywordId,
      intervalMinutes: 60,
      paused: true,
      version: 2,
    });
    // The paused one is due first, so the round that requests the active one saw it too.
    await query(
      `update crawler.keywords set next_due_at = now() - case when keyword_id = ? then interval '2 minutes'
         else interval '1 minute' end where keyword_id in (?, ?)`,
      [paused.keywordId, paused.keywordId, active.keywordId],
    );
    await booted.sut.app.get(CrawlScheduler).scheduleDue();
    // The round committed; once the outbox is drained, everything it requested is in the stream.
    await untilOutboxDrained(orm, 'crawler');
    expect(await requested(active.keywordId)).toHaveLength(1);
    expect(await requested(paused.keywordId)).toHaveLength(0);
  });

  it('brings the next crawl forward when the interval gets shorter', async () => {
    const added = keywordAddedData({ keyword: 'rescheduled', intervalMinutes: 600, version: 1 });
    const { keywordId } = added;
    await deliver('tracking.keyword.added', added);
    await query(`update crawler.keywords set next_due_at = now() + interval '500 minutes' where keyword_id = ?`, [
      keywordId,
    ]);
    const before = Date.now();
    await deliver('tracking.keyword.updated', { keywordId, intervalMinutes: 30, paused: false, version: 2 });
    const due = new Date((await schedule(keywordId))?.next_due_at ?? 0).getTime();
    expect(due).toBeGreaterThanOrEqual(before);
    expect(due).toBeLessThanOrEqual(Date.now() + 30 * 60_000);
  });

  it('spreads a keyword resumed after its due time passed over its interval', async () => {
    const added = keywordAddedData({ keyword: 'resumed', intervalMinutes: 120, version: 1 });
    const { keywordId } = added;
    await deliver('tracking.keyword.added', added);
    await deliver('tracking.keyword.updated', { keywordId, intervalMinutes: 120, paused: true, version: 2 });
    await query(`update crawler.keywords set next_due_at = now() - interval '3 days' where keyword_id = ?`, [
      keywordId,
    ]);
    const before = Date.now();
    await deliver('tracking.keyword.updated', { keywordId, intervalMinutes: 120, paused: false, version: 3 });
    const row = await schedule(keywordId);
    expect(row?.paused).toBe(false);
    const due = new Date(row?.next_due_at ?? 0).getTime();
    expect(due).toBeGreaterThanOrEqual(before);
    expect(due).toBeLessThanOrEqual(Date.now() + 120 * 60_000);
  });

  it("projects a tenant's plan and ignores an older one delivered late", async () => {
    const tenant = randomUUID();
    const plan = (
      name: 'free' | 'pro',
      shareWeight: number,
      version: number,
    ): EventData<'tracking.tenant.plan.changed'> => ({
      plan: name,
      shareWeight,
      maxKeywords: 20,
      minIntervalMinutes: 360,
      version,
    });
    await deliver('tracking.tenant.plan.changed', plan('pro', 5, 2), tenant);
    await deliver('tracking.tenant.plan.changed', plan('free', 1, 1), tenant);
    expect(
      await query('select plan, share_weight, version from crawler.tenant_plans where tenant_id = ?', [tenant]),
    ).toEqual([{ plan: 'pro', share_weight: 5, version: '2' }]);
  });
});
