import { MikroORM } from '@mikro-orm/postgresql';
import { STREAMS } from '@shelfwatch/contracts';
import {
  TestDatabase,
  TestNats,
  anOrigin,
  createTestDatabase,
  createTestNats,
  keywordAddedData,
  openServiceOrm,
  readStream,
  relayFor,
  writer,
} from '@shelfwatch/testing';
import { metricValue } from '../../resilience/test/metric-value';

interface OutboxState {
  keyword: string;
  published: boolean;
  attempts: number;
  set_aside_reason: string | null;
  last_error: string | null;
}

/**
 * A row the broker can never accept is set aside with its reason, and the rows of its aggregate behind it
 * are published in order; a row that failed for a passing reason is not set aside (nats-outage.int-spec).
 */
describe('outbox relay: rows the broker can never accept', () => {
  let db: TestDatabase;
  let producer: MikroORM;
  let nats: TestNats;

  beforeAll(async () => {
    db = await createTestDatabase();
    producer = await openServiceOrm(db, 'crawler');
  });

  beforeEach(async () => {
    nats = await createTestNats();
    await producer.em.fork().execute('truncate crawler.outbox', [], 'run');
  });

  afterEach(async () => nats.cleanup());

  afterAll(async () => {
    await producer.close(true);
    await db.drop();
  });

  /** Three events of one aggregate, in order; the middle one's payload is replaced by `payloadSql`. */
  async function writeChainWithBadMiddle(payloadSql: string): Promise<void> {
    await producer.em.fork().transactional((em) =>
      writer('crawler').appendMany(
        em,
        ['kw-1', 'kw-2', 'kw-3'].map((keyword) => ({
          type: 'tracking.keyword.added' as const,
          data: keywordAddedData({ keyword }),
          origin: anOrigin(),
          aggregateKey: 'one-aggregate',
        })),
      ),
    );
    await producer.em
      .fork()
      .execute(`update crawler.outbox set payload = ${payloadSql} where payload like '%"kw-2"%'`, [], 'run');
  }

  async function outbox(): Promise<OutboxState[]> {
    return producer.em.fork().execute(
      `select coalesce(substring(payload from '"keyword":"([^"]+)"'), 'replaced') as keyword,
              published_at is not null as published, attempts, set_aside_reason, last_error
         from crawler.outbox order by position`,
    );
  }

  async function publishedKeywords(): Promise<string[]> {
    const stored = await readStream(nats, nats.topology.streamName(STREAMS.TRACKING));
    return stored.map((msg) => msg.json<{ data: { keyword: string } }>().data.keyword);
  }

  const setAsideCount = (reason: string): Promise<number> =>
    metricValue('shelfwatch_outbox_set_aside_total', { schema: 'crawler', reason });

  it("sets a row above NATS's max_payload aside and publishes the rows behind it, in order", async () => {
    // 1.1 MB: above the server's default max_payload of 1 MB, so nats.js refuses it before sending.
    await writeChainWithBadMiddle(`'{"pad":"' || repeat('x', 1100000) || '"}'`);
    const before = await setAsideCount('too_large');

    expect(await relayFor(producer, nats).relayOnce()).toBe(2);

    expect(await publishedKeywords()).toEqual(['kw-1', 'kw-3']);
    const rows = await outbox();
    expect(rows.map((row) => [row.keyword, row.published, row.set_aside_reason])).toEqual([
      ['kw-1', true, null],
      ['replaced', false, 'too_large'],
      ['kw-3', true, null],
    ]);
    expect(rows[1]?.last_error).toMatch(/max_payload/);
    expect(await setAsideCount('too_large')).toBe(before + 1);

    // Not retried: the next pass finds nothing to publish and leaves the set-aside row as it was.
    expect(await relayFor(producer, nats).relayOnce()).toBe(0);
    expect((await outbox())[1]?.attempts).toBe(1);
    expect(await publishedKeywords()).toEqual(['kw-1', 'kw-3']);
  });

  it('sets a row aside that the stream refuses (above its max_msg_size), not the rows it accepts', async () => {
    const stream = nats.topology.streamName(STREAMS.TRACKING);
    const info = await nats.jsm.streams.info(stream);
    await nats.jsm.streams.update(stream, { ...info.config, max_msg_size: 4_000 });
    await writeChainWithBadMiddle(`'{"pad":"' || repeat('x', 8000) || '"}'`);
    const before = await setAsideCount('rejected_by_stream');

    expect(await relayFor(producer, nats).relayOnce()).toBe(2);

    expect(await publishedKeywords()).toEqual(['kw-1', 'kw-3']);
    expect((await outbox()).map((row) => row.set_aside_reason)).toEqual([null, 'rejected_by_stream', null]);
    expect(await setAsideCount('rejected_by_stream')).toBe(before + 1);
  });
});
