import { TEST_NATS_URL, eventually, logger, startTcpProxy } from '@shelfwatch/testing';
import { NatsLink } from '../src/nats-connection';

describe('NatsLink', () => {
  let link: NatsLink;

  beforeAll(async () => {
    link = await NatsLink.open(TEST_NATS_URL, 'nats-link-test', logger);
  });

  afterAll(async () => {
    await link.drain();
  });

  // With async traces on, nats.js builds the errors of every request up front, with the caller's stack: a cost on
  // each request, even those that succeed. Off, a timeout's error is built when its timer fires.
  it('builds no error up front for a request: a timeout names the timer, not the caller', async () => {
    const subject = `nats-link-test.silent.${Date.now()}`;
    const silent = link.connection.subscribe(subject);
    await link.connection.flush();

    async function requestFromTheCaller(): Promise<unknown> {
      return link.connection.request(subject, 'ping', { timeout: 50 }).catch((error: unknown) => error);
    }
    const error = await requestFromTheCaller();

    silent.unsubscribe();
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect((error as Error).stack).not.toContain('requestFromTheCaller');
  });

  it('tells its listeners each time the connection is restored after a loss (the relay resumes then)', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 4222 });
    const cut = await NatsLink.open(`nats://127.0.0.1:${proxy.port}`, 'nats-link-reconnect-test', logger);
    try {
      let restored = 0;
      cut.onReconnect(() => (restored += 1));
      for (const round of [1, 2]) {
        await proxy.cut();
        await eventually(() => Promise.resolve(expect(cut.isConnected).toBe(false)), 20_000);
        expect(restored).toBe(round - 1);
        await proxy.restore();
        await eventually(() => Promise.resolve(expect(restored).toBe(round)), 20_000);
        expect(cut.isConnected).toBe(true);
      }
    } finally {
      await cut.drain();
      await proxy.close();
    }
  });
});
