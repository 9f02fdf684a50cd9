import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { NatsConnection, PermissionViolationError, connect, headers as natsHeaders } from '@nats-io/transport-node';
import { SERVICE_NAMES } from '@shelfwatch/config';
import {
  DEAD_LETTER_HEADERS,
  DeadLetterStore,
  Topology,
  consumersFor,
  natsAuthOptions,
  provisionConsumer,
  provisionStreams,
} from '@shelfwatch/messaging';
import { PROVISIONER_USER, natsPasswordVariable } from '@shelfwatch/platform';
import { PrivateNats, eventually, freePort } from '@shelfwatch/testing';
import { Secret } from '@shelfwatch/config';
import { authConfigText } from '../nats-auth-config';

// A nats-server of its own with exactly the users the committed configuration defines (deploy/nats/auth.conf),
// attacked the way a compromised pod (the internet-facing gateway's, say) would.

const USERS = [...SERVICE_NAMES, PROVISIONER_USER];
const password = (user: string): string => `test-password-of-${user}`;

describe('NATS users and permissions', () => {
  let nats: PrivateNats;
  const topology = new Topology('');
  const open: NatsConnection[] = [];

  const as = async (user: string): Promise<NatsConnection> => {
    const nc = await connect({
      servers: nats.url,
      ...natsAuthOptions({ user, password: new Secret(password(user)) }),
    });
    open.push(nc);
    return nc;
  };

  /** Resolves with the permission violations the server reports to `nc`. */
  const violations = (nc: NatsConnection): PermissionViolationError[] => {
    const seen: PermissionViolationError[] = [];
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'error' && status.error instanceof PermissionViolationError) {
          seen.push(status.error);
        }
      }
    })();
    return seen;
  };

  const retentionMessages = async (): Promise<number> => {
    const jsm = await jetstreamManager(await as(PROVISIONER_USER));
    return (await jsm.streams.info('RETENTION')).state.messages;
  };

  beforeAll(async () => {
    const env = Object.fromEntries(USERS.map((user) => [natsPasswordVariable(user), password(user)]));
    nats = await PrivateNats.create(await freePort(), { config: authConfigText(), env: { ...process.env, ...env } });
    await provisionStreams(await jetstreamManager(await as(PROVISIONER_USER)), topology);
  });

  afterAll(async () => {
    await Promise.all(open.map((nc) => nc.close()));
    await nats.destroy();
  });

  it('refuses a connection without credentials, or with a wrong password', async () => {
    await expect(connect({ servers: nats.url })).rejects.toThrow(/Authorization Violation/i);
    await expect(connect({ servers: nats.url, user: 'retention', pass: 'guessed' })).rejects.toThrow(
      /Authorization Violation/i,
    );
  });

  it("refuses the gateway's purge request and domain event: nothing reaches the streams", async () => {
    const gateway = await as('gateway');
    const seen = violations(gateway);
    const js = jetstream(gateway);
    const purge = JSON.stringify({ type: 'retention.purge.requested', data: { cutoff: new Date().toISOString() } });
    await expect(js.publish('retention.purge.requested', purge, { timeout: 2_000 })).rejects.toThrow();
    await expect(js.publish('crawl.completed', '{}', { timeout: 2_000 })).rejects.toThrow();
    await eventually(() =>
      expect(seen.map((error) => `${error.operation} ${error.subject}`).sort()).toEqual([
        'publish crawl.completed',
        'publish retention.purge.requested',
      ]),
    );
    expect(await retentionMessages()).toBe(0);
  });

  it('refuses the gateway the JetStream API: it cannot purge or delete a stream either', async () => {
    const gateway = await as('gateway');
    const seen = violations(gateway);
    gateway.publish('$JS.API.STREAM.PURGE.CRAWL');
    gateway.publish('$JS.API.STREAM.DELETE.RETENTION');
    await eventually(() =>
      expect(seen.map((error) => error.subject).sort()).toEqual([
        '$JS.API.STREAM.DELETE.RETENTION',
        '$JS.API.STREAM.PURGE.CRAWL',
      ]),
    );
  });

  it("refuses the gateway a subscription to the services' replies and events", async () => {
    const gateway = await as('gateway');
    const seen = violations(gateway);
    for (const subject of ['_INBOX.>', '_INBOX_ranking.>', 'crawl.>', '>']) {
      gateway.subscribe(subject);
    }
    await eventually(() =>
      expect(seen.map((error) => error.subject).sort()).toEqual(['>', '_INBOX.>', '_INBOX_ranking.>', 'crawl.>']),
    );
  });

  it("lets an owner take the purge request from its own durable and answer it, but not pull another's", async () => {
    const [crawlerRetention] = consumersFor('crawler', ['retention.purge.requested']);
    const [rankingRetention] = consumersFor('ranking', ['retention.purge.requested']);
    if (!crawlerRetention || !rankingRetention) {
      throw new Error('crawler and ranking consume retention.purge.requested');
    }
    const provisioner = await jetstreamManager(await as(PROVISIONER_USER));
    for (const definition of [crawlerRetention, rankingRetention]) {
      await provisionConsumer(provisioner, topology, definition);
    }
    await jetstream(await as('retention')).publish('retention.purge.requested', '{"sweep":1}');
    const crawler = await as('crawler');
    const seen = violations(crawler);
    const js = jetstream(crawler);
    // As the service does at start: declare (update) its consumer, then pull, ack, and publish its answer.
    await provisionConsumer(await jetstreamManager(crawler), topology, crawlerRetention);
    const message = await (await js.consumers.get('RETENTION', 'crawler-retention')).next({ expires: 5_000 });
    expect(message?.string()).toBe('{"sweep":1}');
    expect(await message?.ackAck()).toBe(true);
    expect((await js.publish('retention.purge.completed', '{}')).stream).toBe('RETENTION');
    // Pulling (or acknowledging for) the ranking's durable would steal its purge requests.
    await expect(js.consumers.get('RETENTION', 'ranking-retention')).rejects.toThrow();
    expect(seen.map((error) => error.subject)).toContain('$JS.API.CONSUMER.INFO.RETENTION.ranking-retention');
  });

  it("lets the crawler read the lag of the consumers it watches, and not reporting's", async () => {
    const provisioner = await jetstreamManager(await as(PROVISIONER_USER));
    const watched = [
      ...consumersFor('ranking', ['crawl.completed']),
      ...consumersFor('alerting', ['ranking.recorded']),
    ];
    const [reporting] = consumersFor('reporting', ['ranking.recorded']);
    if (!reporting) {
      throw new Error('reporting consumes ranking.recorded');
    }
    for (const definition of [...watched, reporting]) {
      await provisionConsumer(provisioner, topology, definition);
    }
    const crawler = await as('crawler');
    const seen = violations(crawler);
    const jsm = await jetstreamManager(crawler);
    for (const definition of watched) {
      const info = await jsm.consumers.info(topology.streamName(definition.stream), definition.durable);
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    }
    await expect(jsm.consumers.info('RANKING', reporting.durable)).rejects.toThrow();
    await eventually(() =>
      expect(seen.map((error) => error.subject)).toEqual([`$JS.API.CONSUMER.INFO.RANKING.${reporting.durable}`]),
    );
  });

  it('lets retention publish the purge request, and only retention', async () => {
    const before = await retentionMessages();
    const crawler = await as('crawler');
    const seen = violations(crawler);
    await expect(jetstream(crawler).publish('retention.purge.requested', '{}', { timeout: 2_000 })).rejects.toThrow();
    await eventually(() => expect(seen.map((error) => error.subject)).toEqual(['retention.purge.requested']));
    const ack = await jetstream(await as('retention')).publish('retention.purge.requested', '{}');
    expect(ack.stream).toBe('RETENTION');
    expect(await retentionMessages()).toBe(before + 1);
  });

  it('refuses the gateway reading or deleting dead letters itself, and republishing their events', async () => {
    const ranking = await as('ranking');
    const parked = await jetstream(ranking).publish('deadletter.ranking-crawl.crawl.completed', '{"p":1}');
    const gateway = await as('gateway');
    const seen = violations(gateway);
    const jsm = await jetstreamManager(gateway);
    await expect(jsm.streams.getMessage('DEADLETTER', { seq: parked.seq })).rejects.toThrow();
    await expect(jsm.streams.deleteMessage('DEADLETTER', parked.seq)).rejects.toThrow();
    await expect(jetstream(gateway).publish('tracking.keyword.added', '{}', { timeout: 2_000 })).rejects.toThrow();
    await eventually(() =>
      expect(seen.map((error) => `${error.operation} ${error.subject}`).sort()).toEqual([
        'publish $JS.API.STREAM.MSG.DELETE.DEADLETTER',
        'publish $JS.API.STREAM.MSG.GET.DEADLETTER',
        'publish tracking.keyword.added',
      ]),
    );
    const stillParked = await (await jetstreamManager(ranking)).streams.getMessage('DEADLETTER', { seq: parked.seq });
    expect(stillParked?.string()).toBe('{"p":1}');
  });

  it('lets a service read and delete a dead letter to replay it, and touch no other stream that way', async () => {
    const ranking = await as('ranking');
    const seen = violations(ranking);
    const parked = await jetstream(ranking).publish('deadletter.ranking-crawl.crawl.completed', '{"p":2}');
    const retention = await jetstream(await as('retention')).publish('retention.purge.requested', '{"keep":1}');
    const jsm = await jetstreamManager(ranking);
    expect((await jsm.streams.getMessage('DEADLETTER', { seq: parked.seq }))?.string()).toBe('{"p":2}');
    expect(await jsm.streams.deleteMessage('DEADLETTER', parked.seq, false)).toBe(true);
    await expect(jsm.streams.getMessage('RETENTION', { seq: retention.seq })).rejects.toThrow();
    await expect(jsm.streams.deleteMessage('RETENTION', retention.seq)).rejects.toThrow();
    await eventually(() =>
      expect(seen.map((error) => error.subject).sort()).toEqual([
        '$JS.API.STREAM.MSG.DELETE.RETENTION',
        '$JS.API.STREAM.MSG.GET.RETENTION',
      ]),
    );
    const provisioner = await jetstreamManager(await as(PROVISIONER_USER));
    expect((await provisioner.streams.getMessage('RETENTION', { seq: retention.seq }))?.string()).toBe('{"keep":1}');
  });

  it('lets health list and show dead letters and the owner take its own off, with the calls the code makes', async () => {
    const ranking = await as('ranking');
    const headers = natsHeaders();
    headers.set(DEAD_LETTER_HEADERS.consumer, 'ranking-crawl');
    headers.set(DEAD_LETTER_HEADERS.subject, 'crawl.completed');
    const parking = 'deadletter.ranking-crawl.crawl.completed';
    const { seq } = await jetstream(ranking).publish(parking, '{"p":3}', { headers });
    const byHealth = new DeadLetterStore(await jetstreamManager(await as('health')), topology);
    expect((await byHealth.list({ limit: 100 })).items.map((item) => item.sequence)).toContain(seq);
    expect((await byHealth.show(seq)).payload).toEqual({ p: 3 });
    const byOwner = new DeadLetterStore(await jetstreamManager(ranking), topology);
    expect((await byOwner.parked(seq)).parkedOn).toBe(parking);
    await byOwner.remove(seq);
    await expect(byHealth.show(seq)).rejects.toThrow(/not found/);
    const byGateway = new DeadLetterStore(await jetstreamManager(await as('gateway')), topology);
    await expect(byGateway.list({ limit: 1 })).rejects.toThrow();
  });
});
