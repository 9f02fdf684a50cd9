import { headers as natsHeaders } from '@nats-io/transport-node';
import { STREAMS } from '@shelfwatch/contracts';
import { DEAD_LETTER_HEADERS } from '@shelfwatch/messaging';
import { aKeywordAddedEvent, readStream } from '@shelfwatch/testing';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { GatewayAppModule } from '../src/app.module';
import { GatewayConfig, loadGatewayConfig } from '../src/gateway.config';
import { gatewayPersistence } from '../src/gateway.persistence';
import { ADMIN_KEY, Api } from './gateway.e2e-harness';

/** The operator's dead-letter routes: only the admin key sees parked payloads, and a replay goes back once. */
describe('gateway dead-letter admin routes', () => {
  let booted: BootedService<GatewayConfig>;
  let api: Api;
  let tenantKey: string;

  beforeAll(async () => {
    booted = await bootInTestEnvironment(
      gatewayPersistence,
      loadGatewayConfig,
      (config, logger) => GatewayAppModule.forConfig(config, logger),
      () => ({ ADMIN_API_KEY: ADMIN_KEY }),
    );
    api = new Api(booted.sut);
    tenantKey = (await api.tenant('acme')).apiKey;
  });

  afterAll(async () => {
    await booted?.stop();
  });

  /** Parks a message the way a consumer does: a copy on deadletter.<consumer>.<subject> with the reason. */
  async function park(keyword: string) {
    const { js, topology } = booted.environment.nats;
    const event = aKeywordAddedEvent({ keyword });
    const subject = topology.subject(event.type);
    const headers = natsHeaders();
    headers.set(DEAD_LETTER_HEADERS.reason, 'permanent_failure');
    headers.set(DEAD_LETTER_HEADERS.error, 'unknown_product: not tracked yet');
    headers.set(DEAD_LETTER_HEADERS.consumer, 'ranking-tracking');
    headers.set(DEAD_LETTER_HEADERS.subject, subject);
    headers.set(DEAD_LETTER_HEADERS.deliveries, '1');
    const ack = await js.publish(topology.deadLetterSubject('ranking-tracking', subject), JSON.stringify(event), {
      headers,
    });
    return { event, sequence: ack.seq, subject };
  }

  it('refuses tenants and anonymous callers: parked payloads are every tenant’s data', async () => {
    const { sequence } = await park('secret');
    for (const key of [tenantKey, undefined]) {
      for (const [method, url] of [
        ['GET', '/v1/admin/dead-letters'],
        ['GET', `/v1/admin/dead-letters/${sequence}`],
        ['POST', `/v1/admin/dead-letters/${sequence}/replay`],
      ] as const) {
        const answer = await api.call(method, url, { key });
        expect({ method, url, status: answer.status }).toEqual({
          method,
          url,
          status: key === undefined ? 401 : 403,
        });
        expect(answer.text).not.toContain('secret');
      }
    }
  });

  it('lists, shows and replays a dead letter once; a second replay is 404', async () => {
    const { event, sequence, subject } = await park('parked');
    const list = await api.call<{ items: { sequence: number; eventId: string }[] }>(
      'GET',
      '/v1/admin/dead-letters?consumer=ranking-tracking&limit=10',
      { key: ADMIN_KEY },
    );
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(expect.objectContaining({ sequence, eventId: event.id }));
    const shown = await api.call('GET', `/v1/admin/dead-letters/${sequence}`, { key: ADMIN_KEY });
    expect(shown).toMatchObject({ status: 200, body: { payload: event, reason: 'permanent_failure' } });

    const replay = await api.call('POST', `/v1/admin/dead-letters/${sequence}/replay`, { key: ADMIN_KEY });
    expect(replay).toMatchObject({ status: 200, body: { consumer: 'ranking-tracking', eventId: event.id, subject } });
    const { nats } = booted.environment;
    const replayed = await readStream(nats, nats.topology.streamName(STREAMS.TRACKING), subject);
    expect(replayed.map((msg) => [msg.json(), msg.header.get(DEAD_LETTER_HEADERS.replayFor)])).toEqual([
      [event, 'ranking-tracking'],
    ]);
    const again = await api.call('POST', `/v1/admin/dead-letters/${sequence}/replay`, { key: ADMIN_KEY });
    expect(again).toMatchObject({ status: 404, body: { type: 'https://shelfwatch.dev/problems/not-found' } });
    expect(await readStream(nats, nats.topology.streamName(STREAMS.TRACKING), subject)).toHaveLength(1);
  });

  it('answers 400 to a sequence that is not a positive integer', async () => {
    for (const bad of ['abc', '0', '-1', '1.5']) {
      const answer = await api.call('GET', `/v1/admin/dead-letters/${bad}`, { key: ADMIN_KEY });
      expect({ bad, status: answer.status }).toEqual({ bad, status: 400 });
    }
  });
});
