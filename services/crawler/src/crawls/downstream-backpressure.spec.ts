import { STREAMS } from '@shelfwatch/contracts';
import { WatchedConsumer } from '@shelfwatch/platform';
import { capturingLogger } from '@shelfwatch/testing';
import { ConsumerLagReader, DownstreamBackpressure } from './downstream-backpressure';

const WATCHES: WatchedConsumer[] = [
  { service: 'ranking', stream: STREAMS.CRAWL },
  { service: 'alerting', stream: STREAMS.RANKING },
];

/** Lags set by the test per service; `'down'` makes that read fail. */
function lagsOf(lags: Record<string, number | 'down'>): ConsumerLagReader {
  return {
    pending: (watched) => {
      const lag = lags[watched.service] ?? 0;
      return lag === 'down' ? Promise.reject(new Error('consumer not found')) : Promise.resolve(lag);
    },
  };
}

function backpressure(lags: Record<string, number | 'down'>) {
  const log = capturingLogger('crawler');
  const subject = new DownstreamBackpressure(lagsOf(lags), {
    watches: WATCHES,
    maxPending: 100,
    pollMs: 3_600_000,
    logger: log.logger,
  });
  const messages = () =>
    log.entries().map((entry) => `${String(entry.level)} ${String(entry.msg)} (${String(entry.consumer)})`);
  return { subject, messages };
}

describe('DownstreamBackpressure', () => {
  it('Given alerting behind, When polled, Then crawls pause with one warning naming it, and resume at half', async () => {
    const lags: Record<string, number | 'down'> = { ranking: 10, alerting: 101 };
    const { subject, messages } = backpressure(lags);
    await subject.poll();
    await subject.poll();
    expect(subject.paused).toBe(true);
    lags.alerting = 60;
    await subject.poll();
    expect(subject.paused).toBe(true);
    lags.alerting = 50;
    await subject.poll();
    expect(subject.paused).toBe(false);
    expect(messages()).toEqual([
      'warn crawls paused: a downstream consumer is behind (alerting-ranking)',
      'info crawls resumed: downstream consumers caught up (alerting-ranking)',
    ]);
  });

  it('Given a lag that cannot be read, When polled again and again, Then crawls never pause and it is logged once', async () => {
    const lags: Record<string, number | 'down'> = { ranking: 'down', alerting: 0 };
    const { subject, messages } = backpressure(lags);
    for (let i = 0; i < 3; i++) {
      await subject.poll();
    }
    expect(subject.paused).toBe(false);
    lags.ranking = 5;
    await subject.poll();
    expect(messages()).toEqual([
      'warn crawl back-pressure cannot read the consumer lag: crawls go on as if it were none (ranking-crawl)',
      'info crawl back-pressure reads the consumer lag again (ranking-crawl)',
    ]);
  });

  it('Given crawls paused, When every read fails, Then they resume (fail open)', async () => {
    const lags: Record<string, number | 'down'> = { ranking: 500, alerting: 0 };
    const { subject } = backpressure(lags);
    await subject.poll();
    expect(subject.paused).toBe(true);
    lags.ranking = 'down';
    lags.alerting = 'down';
    await subject.poll();
    expect(subject.paused).toBe(false);
  });
});
