import { nanos } from '@nats-io/transport-node';
import { STREAMS } from '@shelfwatch/contracts';
import { TestNats, createTestNats } from '@shelfwatch/testing';
import { defaultStreamSettings, provisionStreams, setStreamMaxAge } from '../src';

const DAY_MS = 86_400_000;

describe('stream max ages', () => {
  let nats: TestNats;

  beforeAll(async () => {
    nats = await createTestNats();
  });

  afterAll(async () => {
    await nats?.cleanup();
  });

  async function maxAgeDays(stream: keyof typeof STREAMS): Promise<number> {
    const info = await nats.jsm.streams.info(nats.topology.streamName(STREAMS[stream]));
    return info.config.max_age / nanos(DAY_MS);
  }

  it('provisions the definition ages by default and the given ones on request, never expiring TRACKING', async () => {
    expect(await maxAgeDays('RANKING')).toBe(30);
    await provisionStreams(nats.jsm, nats.topology, {
      ...defaultStreamSettings,
      maxAgeDays: { RANKING: 90, TRACKING: 5 },
    });
    expect(await maxAgeDays('RANKING')).toBe(90);
    expect(await maxAgeDays('CRAWL')).toBe(30);
    expect(await maxAgeDays('TRACKING')).toBe(0);
  });

  it('changes one stream age alone, and leaves a never-expiring stream as it is', async () => {
    expect(await setStreamMaxAge(nats.jsm, nats.topology, STREAMS.CRAWL, 45)).toBe(true);
    expect(await setStreamMaxAge(nats.jsm, nats.topology, STREAMS.CRAWL, 45)).toBe(false);
    expect(await setStreamMaxAge(nats.jsm, nats.topology, STREAMS.TRACKING, 45)).toBe(false);
    expect(await maxAgeDays('CRAWL')).toBe(45);
    expect(await maxAgeDays('TRACKING')).toBe(0);
    const crawl = await nats.jsm.streams.info(nats.topology.streamName(STREAMS.CRAWL));
    expect(crawl.config.subjects).toEqual([nats.topology.subject('crawl.>')]);
  });

  it('keeps the ages the retention service set when a service re-provisions at start', async () => {
    await setStreamMaxAge(nats.jsm, nats.topology, STREAMS.ALERT, 180);
    await provisionStreams(nats.jsm, nats.topology);
    expect(await maxAgeDays('ALERT')).toBe(180);
    expect(await maxAgeDays('TRACKING')).toBe(0);
  });
});
