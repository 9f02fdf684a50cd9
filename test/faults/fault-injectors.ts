import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createConnection } from 'node:net';
import { jetstream } from '@nats-io/jetstream';
import { NatsConnection } from '@nats-io/transport-node';
import { Topology, outboxRelayLock } from '@shelfwatch/messaging';
import { PrivateNats, TcpProxy, eventually, pause } from '@shelfwatch/testing';
import { SimulatorControl } from '../../tools/marketplace-sim/src';
import { PrivatePostgres, suiteClient, unpublishedRows } from './infra';
import { ManagedService } from './platform';

/** What one injected fault did, and the evidence that it did happen. */
export interface FaultOutcome {
  fault: string;
  at: number;
  /** When the fault ended (process restarted, server back); recovery is measured from here. */
  endedAt: number;
  note: string;
  /** Services whose readiness must have said 503 during the fault (a dependency they need was down). */
  expectNotReady: string[];
  /** Whether the run saw the fault take effect (a fault that missed its window proves nothing). */
  confirmed: boolean;
  evidence: string;
}

/** What the faults act on. */
export interface FaultTargets {
  services: ManagedService[];
  pg: PrivatePostgres;
  nats: PrivateNats;
  sim: SimulatorControl;
  nc: NatsConnection;
  topology: Topology;
  /** The TCP proxy between `partitioned` and NATS. */
  natsProxy: TcpProxy;
  partitioned: string;
  /** Poison event id → event type, filled as poison is published. */
  poison: Map<string, string>;
}

type Fault = (targets: FaultTargets) => Promise<FaultOutcome>;

const byName = (targets: FaultTargets, name: string): ManagedService => {
  const service = targets.services.find((candidate) => candidate.name === name);
  if (service === undefined) {
    throw new Error(`no service ${name} in the run`);
  }
  return service;
};

/** Whether anything accepts a TCP connection on the port now (to confirm a server is down). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function outcome(fault: string, at: number, note: string, confirmed: boolean, evidence: string): FaultOutcome {
  return { fault, at, endedAt: Date.now(), note, expectNotReady: [], confirmed, evidence };
}

/** kill -9, 1 s down, start again; confirmed when the signal ended a running process. */
function killService(name: string): Fault {
  return async (targets) => {
    const service = byName(targets, name);
    const at = Date.now();
    const signal = await service.kill9();
    await pause(1_000);
    service.start();
    return outcome(`kill -9 ${name}`, at, 'restarted after 1 s', signal === 'SIGKILL', `exit signal ${signal}`);
  };
}

/**
 * The crawler killed while its outbox holds committed, unpublished rows. The suite takes the relay's advisory
 * lock itself (`outboxRelayLock`, which `OutboxRelay` takes per batch), so the relay publishes nothing while the round's
 * crawls commit their rows: the kill always meets rows between commit and publish. Waiting for the relay's own
 * batch instead was a race: its batches take milliseconds, and a CI run once saw none within 5 s (unconfirmed).
 * The lock is let go once the process is dead; the restarted relay must publish every row. Confirmed by
 * unpublished rows counted under the lock just before the kill.
 */
const relayKill: Fault = async (targets) => {
  const producer = byName(targets, 'crawler');
  const holder = suiteClient(targets.pg.adminUrl());
  await holder.connect();
  const killed = await (async () => {
    try {
      await holder.query('select pg_advisory_lock(hashtext($1))', [outboxRelayLock('crawler')]);
      const pending = await eventually(async () => {
        const count = await unpublishedRows(holder, 'crawler');
        if (count === 0) {
          throw new Error('no unpublished crawler outbox row yet');
        }
        return count;
      }, 30_000).catch(() => 0);
      return { pending, at: Date.now(), signal: await producer.kill9() };
    } finally {
      await holder.end(); // the session's lock goes with it
    }
  })();
  await pause(1_000);
  producer.start();
  const { pending, at, signal } = killed;
  const evidence = `${pending} rows committed, unpublished (relay held off by the suite's lock); exit signal ${signal}`;
  const confirmed = pending > 0 && signal === 'SIGKILL';
  const note = 'killed with committed rows its relay could not publish yet';
  return outcome('kill -9 outbox relay (crawler) between commit and publish', at, note, confirmed, evidence);
};

/** NATS stopped for 4 s; confirmed when nothing accepted connections on its port meanwhile. */
const natsRestart: Fault = async (targets) => {
  const at = Date.now();
  await targets.nats.stop();
  const down = !(await accepts(targets.nats.port));
  await pause(4_000);
  await targets.nats.start();
  const all = targets.services.map((service) => service.name);
  return { ...outcome('NATS restart', at, 'down 4 s', down, `port refused: ${down}`), expectNotReady: all };
};

/** Overlapping faults: ranking killed while NATS is down, started again before NATS is back. */
const killDuringNatsRestart: Fault = async (targets) => {
  const ranking = byName(targets, 'ranking');
  const at = Date.now();
  await targets.nats.stop();
  const down = !(await accepts(targets.nats.port));
  const signal = await ranking.kill9();
  await pause(1_000);
  ranking.start();
  await pause(3_000);
  await targets.nats.start();
  const all = targets.services.map((service) => service.name);
  const evidence = `NATS port refused: ${down}; ranking exit signal ${signal}`;
  const confirmed = down && signal === 'SIGKILL';
  const fault = 'kill -9 ranking during a NATS restart';
  return {
    ...outcome(fault, at, 'NATS down 4 s, ranking restarted while it was', confirmed, evidence),
    expectNotReady: all,
  };
};

/** Postgres stopped like a crash for 4 s; confirmed when a connection attempt failed meanwhile. */
const postgresCrash: Fault = async (targets) => {
  const at = Date.now();
  targets.pg.crash();
  const client = suiteClient(targets.pg.adminUrl(), { connectionTimeoutMillis: 1_000 });
  const down = await client.connect().then(
    () => false,
    () => true,
  );
  await client.end().catch(() => undefined);
  await pause(4_000);
  await targets.pg.start();
  const all = targets.services.map((service) => service.name);
  const fault = 'Postgres crash + restart';
  return {
    ...outcome(fault, at, 'immediate stop, down 4 s', down, `connection refused: ${down}`),
    expectNotReady: all,
  };
};

/**
 * Connections the partitioned service has open through the proxy, once it has one: the fault before may have
 * restarted NATS, and a cut or a delay must hit a live connection (0 after 60 s, and the fault is unconfirmed).
 */
function proxiedConnections(targets: FaultTargets): Promise<number> {
  return eventually(() => {
    const count = targets.natsProxy.openConnections();
    if (count === 0) {
      throw new Error(`${targets.partitioned} has no connection through the proxy yet`);
    }
    return count;
  }, 60_000).catch(() => 0);
}

/** A partition between one service and NATS (its connections dropped, new ones refused) for 4 s. */
const natsPartition: Fault = async (targets) => {
  const open = await proxiedConnections(targets);
  const at = Date.now();
  await targets.natsProxy.cut();
  await pause(4_000);
  await targets.natsProxy.restore();
  const fault = `partition ${targets.partitioned} ↔ NATS`;
  const evidence = `${open} connections cut`;
  return { ...outcome(fault, at, 'dropped, refused 4 s', open > 0, evidence), expectNotReady: [targets.partitioned] };
};

/**
 * A slow link between one service and NATS: every chunk held 500 ms each way for 5 s (its acks, fetches and
 * replies late, its connections open). Confirmed when the proxy held chunks meanwhile.
 */
const natsLatency: Fault = async (targets) => {
  const open = await proxiedConnections(targets);
  const before = targets.natsProxy.delayedChunks();
  const at = Date.now();
  targets.natsProxy.setLatency(500);
  await pause(5_000);
  targets.natsProxy.setLatency(0);
  const delayed = targets.natsProxy.delayedChunks() - before;
  const fault = `latency ${targets.partitioned} ↔ NATS`;
  const evidence = `${delayed} chunks held on ${open} connections`;
  return outcome(fault, at, '500 ms each way for 5 s', open > 0 && delayed > 0, evidence);
};

/**
 * NATS killed with SIGKILL (no flush, no goodbye), started again after 4 s. Only where acknowledged writes
 * survive that (`sync_interval: always`, see {@link natsKillSupport}), or when forced. Confirmed by the
 * signal and the port refusing connections meanwhile.
 */
const natsKill: Fault = async (targets) => {
  const at = Date.now();
  const signal = await targets.nats.kill();
  const down = !(await accepts(targets.nats.port));
  await pause(4_000);
  await targets.nats.start();
  const all = targets.services.map((service) => service.name);
  const evidence = `exit signal ${signal}; port refused: ${down}`;
  const confirmed = signal === 'SIGKILL' && down;
  return { ...outcome('NATS kill -9', at, 'SIGKILL, down 4 s', confirmed, evidence), expectNotReady: all };
};

function statusCount(sim: SimulatorControl, status: number): number {
  return Object.values(sim.stats().clients).reduce((sum, client) => sum + (client.byStatus[status] ?? 0), 0);
}

/**
 * 503s for 3 s (longer, up to 15 s, until the simulator has answered one: the round's crawls may not have reached
 * it yet), then 5 requests/s for 3 s; confirmed when the simulator answered 503 meanwhile.
 */
const marketplaceOutage: Fault = async ({ sim }) => {
  const at = Date.now();
  const [unavailable, throttled] = [statusCount(sim, 503), statusCount(sim, 429)];
  sim.setFaults({ outage: 'unavailable' });
  await pause(3_000);
  while (statusCount(sim, 503) === unavailable && Date.now() - at < 15_000) {
    await pause(250);
  }
  const throttledFrom = Date.now();
  sim.setFaults({ outage: false, throttlePerSecond: 5 });
  await pause(3_000);
  sim.setFaults({ throttlePerSecond: null });
  const seen = [statusCount(sim, 503) - unavailable, statusCount(sim, 429) - throttled];
  const evidence = `${seen[0]} answered 503, ${seen[1]} throttled (429)`;
  const fault = 'marketplace outage, then throttling';
  const note = `503s ${Math.round((throttledFrom - at) / 1_000)} s, 5 req/s 3 s`;
  return outcome(fault, at, note, (seen[0] ?? 0) > 0, evidence);
};

/** Schema-invalid events on two subjects; confirmed when JetStream stored each (not a duplicate). */
const poisonMessages: Fault = async ({ nc, topology, poison }) => {
  const at = Date.now();
  const js = jetstream(nc);
  let stored = 0;
  for (const type of ['crawl.completed', 'ranking.recorded']) {
    for (let i = 0; i < 3; i++) {
      const id = randomUUID();
      const invalid = { id, type, version: 1, occurredAt: new Date().toISOString(), data: { nonsense: i } };
      const ack = await js.publish(topology.subject(type), JSON.stringify(invalid), { msgID: id });
      poison.set(id, type);
      stored += ack.duplicate ? 0 : 1;
    }
  }
  return outcome('poison messages', at, '6 invalid events', stored === 6, `${stored} stored by JetStream`);
};

/** Whether the run kills NATS with SIGKILL, and the configuration that makes that safe. */
export interface NatsKillSupport {
  version: string;
  /** The binary has `sync_interval` (2.10+): the fault runs, with every write fsynced before its ack. */
  supported: boolean;
  /** `FAULTS_NATS_KILL=force`: the fault runs on an older binary too (an experiment: acked writes may be lost). */
  forced: boolean;
  /** Extra nats-server configuration for the suite's server. */
  config: string | undefined;
}

/**
 * The nats-server version, and whether it can be killed with SIGKILL without losing acknowledged writes:
 * `sync_interval: always` (fsync before every acknowledgement) exists from 2.10 on; older binaries reject it.
 */
export function natsKillSupport(env: NodeJS.ProcessEnv = process.env): NatsKillSupport {
  const bin = '/usr/sbin/nats-server';
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' })
    .trim()
    .replace(/^nats-server:\s*v?/, '');
  return syncIntervalSupport(version, env.FAULTS_NATS_KILL === 'force');
}

/** {@link natsKillSupport} for a given version (pure, unit-tested). */
export function syncIntervalSupport(version: string, forced: boolean): NatsKillSupport {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const supported = major > 2 || (major === 2 && minor >= 10);
  const config = supported ? 'jetstream {\n  sync_interval: always\n}\n' : undefined;
  return { version, supported, forced, config };
}

/** The faults of the run, one per round in turn; the NATS SIGKILL where supported (or forced). */
export function faultSchedule(services: readonly string[], natsKillable: NatsKillSupport): Fault[] {
  return [
    ...services.map((name) => killService(name)),
    relayKill,
    natsRestart,
    killDuringNatsRestart,
    ...(natsKillable.supported || natsKillable.forced ? [natsKill] : []),
    natsPartition,
    natsLatency,
    postgresCrash,
    marketplaceOutage,
    poisonMessages,
  ];
}
