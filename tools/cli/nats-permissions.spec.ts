import { SERVICE_NAMES } from '@shelfwatch/config';
import { Topology } from '@shelfwatch/messaging';
import { NatsUser, natsUsers } from '@shelfwatch/platform';
import { SERVICES } from './services';

// Who may do what, read from the permissions the code derives from the service manifests (the same ones the
// committed nats-server configurations hold): NATS subject matching, `*` one token, `>` the rest.

function matches(pattern: string, subject: string): boolean {
  const want = pattern.split('.');
  const have = subject.split('.');
  for (const [index, token] of want.entries()) {
    if (token === '>') {
      return have.length > index;
    }
    if (index >= have.length || (token !== '*' && token !== have[index])) {
      return false;
    }
  }
  return want.length === have.length;
}

const users = (namespace = ''): NatsUser[] =>
  natsUsers(
    new Topology(namespace),
    SERVICE_NAMES.map((service) => SERVICES[service].manifest),
  );

const publishers = (subject: string, namespace = ''): string[] =>
  users(namespace)
    .filter(({ permissions }) => permissions.publish.some((pattern) => matches(pattern, subject)))
    .map(({ user }) => user);

const subscribers = (subject: string): string[] =>
  users()
    .filter(({ permissions }) => permissions.subscribe.some((pattern) => matches(pattern, subject)))
    .map(({ user }) => user);

describe('NATS permissions derived from the service manifests', () => {
  it('lets only retention request a purge, and only the owners answer it', () => {
    expect(publishers('retention.purge.requested')).toEqual(['retention']);
    // The reporting purges what it derived from a kind but owns none, so a sweep waits for no report of its own.
    expect(publishers('retention.purge.completed').sort()).toEqual(['alerting', 'crawler', 'ranking']);
  });

  it('lets every purge owner ask retention for the policy as it stands, and only retention answer', () => {
    const request = 'rpc.retention.policy.kind';
    expect(publishers(request).sort()).toEqual(['alerting', 'crawler', 'gateway', 'ranking', 'reporting']);
    expect(subscribers(request)).toEqual(['retention']);
    // Asking is all they may do: changing a tenant's policy stays with the gateway.
    expect(publishers('rpc.retention.policy.put')).toEqual(['gateway']);
  });

  it("lets each domain's events come from their owner only", () => {
    expect(publishers('crawl.completed')).toEqual(['crawler']);
    expect(publishers('tracking.product.added')).toEqual(['ranking']);
    expect(publishers('ranking.recorded')).toEqual(['ranking']);
    expect(publishers('alert.raised')).toEqual(['alerting']);
  });

  it('gives the gateway requests to the services and its own inbox, and nothing of the streams', () => {
    const [gateway] = users();
    expect(gateway?.user).toBe('gateway');
    expect(gateway?.permissions.publish.filter((subject) => !subject.startsWith('rpc.'))).toEqual([
      '$JS.API.INFO',
      'platform.heartbeat.gateway',
    ]);
    expect(gateway?.permissions.subscribe).toEqual(['_INBOX_gateway.>', 'rpc.gateway.>', 'platform.heartbeat-solicit']);
  });

  it('keeps stream deletion and purges to the provisioner, and each consumer to its service', () => {
    expect(publishers('$JS.API.STREAM.DELETE.CRAWL')).toEqual(['provisioner']);
    expect(publishers('$JS.API.STREAM.PURGE.RETENTION')).toEqual(['provisioner']);
    expect(publishers('$JS.API.CONSUMER.MSG.NEXT.CRAWL.ranking-crawl')).toEqual(['ranking', 'provisioner']);
    expect(publishers('$JS.ACK.CRAWL.ranking-crawl.1.2.3.4.5.6')).toEqual(['ranking']);
    expect(publishers('$JS.API.CONSUMER.DELETE.CRAWL.ranking-crawl')).toEqual(['provisioner']);
  });

  it("lets the crawler read the lag of ranking's and alerting's consumers, and nothing else of them", () => {
    expect(publishers('$JS.API.CONSUMER.INFO.CRAWL.ranking-crawl')).toEqual([
      'crawler',
      'ranking',
      'health',
      'provisioner',
    ]);
    expect(publishers('$JS.API.CONSUMER.INFO.RANKING.alerting-ranking')).toEqual([
      'crawler',
      'alerting',
      'health',
      'provisioner',
    ]);
    expect(publishers('$JS.API.CONSUMER.INFO.t1_CRAWL.ranking-crawl', 't1')).toContain('crawler');
    // Reporting falling behind must not stop data collection: its consumer is not watched.
    expect(publishers('$JS.API.CONSUMER.INFO.RANKING.reporting-ranking')).not.toContain('crawler');
    expect(publishers('$JS.API.CONSUMER.MSG.NEXT.CRAWL.ranking-crawl')).not.toContain('crawler');
    expect(publishers('$JS.ACK.RANKING.alerting-ranking.1.2.3.4.5.6')).not.toContain('crawler');
  });

  it("lets no one read another user's replies", () => {
    for (const user of [...SERVICE_NAMES, 'provisioner']) {
      expect(subscribers(`_INBOX_${user}.abc`)).toEqual([user]);
    }
    expect(subscribers('_INBOX.abc')).toEqual([]);
  });

  it('puts a test namespace on every subject and stream', () => {
    expect(publishers('t1.retention.purge.requested', 't1')).toEqual(['retention']);
    expect(publishers('retention.purge.requested', 't1')).toEqual([]);
    expect(publishers('$JS.API.CONSUMER.MSG.NEXT.t1_CRAWL.ranking-crawl', 't1')).toEqual(['ranking', 'provisioner']);
  });

  it('lets the services with consumers read and delete dead letters by sequence, on DEADLETTER only', () => {
    const consuming = ['crawler', 'ranking', 'alerting', 'reporting', 'retention'];
    expect(publishers('$JS.API.STREAM.MSG.DELETE.DEADLETTER')).toEqual([...consuming, 'provisioner']);
    expect(publishers('$JS.API.STREAM.MSG.GET.DEADLETTER')).toEqual([...consuming, 'health', 'provisioner']);
    expect(publishers('$JS.API.STREAM.MSG.DELETE.TRACKING')).toEqual(['provisioner']);
    expect(publishers('$JS.API.STREAM.MSG.GET.RETENTION')).toEqual(['health', 'provisioner']);
  });

  it("lets health ask the services to replay their own dead letters, and not the gateway's", () => {
    expect(publishers('rpc.ranking.dead-letters.replay')).toEqual(['gateway', 'health']);
    expect(publishers('rpc.health.dead-letters.replay')).toEqual(['gateway']);
    // Replaying is all health may ask of them.
    expect(publishers('rpc.ranking.product.list')).toEqual(['gateway']);
    expect(publishers('rpc.retention.policy.put')).toEqual(['gateway']);
    expect(subscribers('rpc.ranking.dead-letters.replay')).toEqual(['ranking']);
  });
});
