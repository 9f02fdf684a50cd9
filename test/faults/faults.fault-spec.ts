import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { NatsConnection, connect } from '@nats-io/transport-node';
import { RpcClient, Topology } from '@shelfwatch/messaging';
import { ProgressReporter } from '@shelfwatch/observability';
import { PrivateNats, eventually, freePort, freePorts, pause } from '@shelfwatch/testing';
import { loadCliConfig } from '../../tools/cli/cli.config';
import { migrateAll } from '../../tools/cli/migrate';
import { provisionAll } from '../../tools/cli/provision';
import { check, Finding } from './checker';
import { PrivatePostgres, suiteClient } from './infra';
import { FAULT_SERVICES, ManagedService, serviceEnv, startSimulator } from './platform';
import { ProbeMonitor } from './probes';
import { projectionsMatchReplay } from './replay';
import { Workload } from './workload';

/**
 * The fault suite (`npm run test:faults` runs the full size, `npm test` a short one): rounds of crawls
 * through crawler → ranking → alerting → reporting while, round after round, consumers are killed with
 * SIGKILL, a producer is killed with committed but unpublished outbox rows, NATS and Postgres are
 * restarted, the marketplace goes down and throttles, and poison messages are published. Afterwards a
 * checker compares the final state with what the workload implies. Everything runs on a Postgres and a
 * NATS server of its own, so restarting them disturbs nothing else on the machine.
 */
const FULL = process.env.FAULTS_MODE === 'full';
const SIZE = FULL ? { keywords: 200, rounds: 125 } : { keywords: 40, rounds: 0 };

interface FaultOutcome {
  fault: string;
  at: number;
  /** When the fault ended (process restarted, server back); recovery is measured from here. */
  endedAt: number;
  note: string;
  /** Services whose readiness must have said 503 during the fault (a dependency they need was down). */
  expectNotReady: string[];
}

/** A progress line of the suite, as it goes (jest shows a test's output only at its end otherwise). */
function say(line: string): void {
  process.stdout.write(`faults: ${line}\n`);
}

async function unpublished(databaseUrl: string, schema: string): Promise<number> {
  const client = suiteClient(databaseUrl);
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      `select count(*) from "${schema}".outbox where published_at is null`,
    );
    return Number(rows[0]?.count);
  } finally {
    await client.end();
  }
}

describe('fault suite: nothing lost, nothing duplicated, nothing stuck', () => {
  it(
    'survives kill -9, relay kills, NATS and Postgres restarts, marketplace outages and poison',
    async () => {
      say(`[1/5] Postgres, NATS and the simulator of the suite (${FULL ? 'full' : 'short'} run)`);
      const pg = await PrivatePostgres.create(await freePort());
      const nats = await PrivateNats.create(await freePort());
      const sim = await startSimulator({ port: 0, seed: 11 });
      const namespace = `faults${randomUUID().slice(0, 8)}`;
      const env = serviceEnv({
        databaseUrl: pg.adminUrl(),
        natsUrl: nats.url,
        namespace,
        simulatorUrl: sim.url,
      });
      const services: ManagedService[] = [];
      let nc: NatsConnection | undefined;
      try {
        say('[2/5] migrations, streams and the services');
        const config = loadCliConfig(env);
        await migrateAll(config, () => undefined);
        await provisionAll(config, () => undefined);
        const ports = await freePorts(FAULT_SERVICES.length);
        FAULT_SERVICES.forEach((name, i) => services.push(new ManagedService(name, ports[i] ?? 0, env)));
        services.forEach((service) => service.start());
        const monitor = new ProbeMonitor(services);
        monitor.start();
        await eventually(
          () => {
            if (monitor.recoveryMs(0) === undefined) {
              throw new Error(`not ready: ${services.map((s) => s.stderrTail(3)).join('\n')}`);
            }
          },
          90_000,
          500,
        );

        nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
        const topology = new Topology(namespace);
        const rpc = new RpcClient(nc, topology);
        const workload = new Workload(rpc, pg.adminUrl(), (round) =>
          sim.control.setClock({ now: new Date(Date.UTC(2026, 10, 22, 0) + round * 3_600_000).toISOString() }),
        );
        say(`[3/5] seeding ${SIZE.keywords} products, one keyword each`);
        const seeding = new ProgressReporter('seed', SIZE.keywords, { emit: say, unit: 'products' });
        await workload.seed(SIZE, () => seeding.advance());
        seeding.finish();

        const byName = (name: string) => services.find((service) => service.name === name);
        const restart = async (service: ManagedService, note: string): Promise<FaultOutcome> => {
          const at = Date.now();
          await service.kill9();
          await pause(1_000);
          service.start();
          return { fault: `kill -9 ${service.name}`, at, endedAt: Date.now(), note, expectNotReady: [] };
        };
        const poison = new Map<string, string>();
        const faults: (() => Promise<FaultOutcome>)[] = [
          ...services.map((service) => () => restart(service, 'restarted after 1 s')),
          async () => {
            // The relay's window: rows committed with their state change but not yet published.
            const producer = byName('crawler') ?? services[0];
            if (producer === undefined) {
              throw new Error('no producer service to kill');
            }
            let pending = 0;
            const deadline = Date.now() + 5_000;
            while (pending === 0 && Date.now() < deadline) {
              pending = await unpublished(pg.adminUrl(), 'crawler');
            }
            const outcome = await restart(producer, `${pending} outbox rows committed, unpublished`);
            return { ...outcome, fault: 'kill -9 outbox relay (crawler) between commit and publish' };
          },
          async () => {
            const at = Date.now();
            await nats.stop();
            await pause(4_000);
            await nats.start();
            const all = services.map((service) => service.name);
            return { fault: 'NATS restart', at, endedAt: Date.now(), note: 'down 4 s', expectNotReady: all };
          },
          async () => {
            const at = Date.now();
            pg.crash();
            await pause(4_000);
            await pg.start();
            const all = services.map((service) => service.name);
            return {
              fault: 'Postgres crash + restart',
              at,
              endedAt: Date.now(),
              note: 'immediate stop, down 4 s',
              expectNotReady: all,
            };
          },
          async () => {
            const at = Date.now();
            sim.control.setFaults({ outage: 'unavailable' });
            await pause(3_000);
            sim.control.setFaults({ outage: false, throttlePerSecond: 5 });
            await pause(3_000);
            sim.control.setFaults({ throttlePerSecond: null });
            return {
              fault: 'marketplace outage, then throttling',
              at,
              endedAt: Date.now(),
              note: '503s 3 s, 5 req/s 3 s',
              expectNotReady: [],
            };
          },
          async () => {
            const at = Date.now();
            const js = jetstream(nc as NatsConnection);
            for (const type of ['crawl.completed', 'ranking.recorded']) {
              for (let i = 0; i < 3; i++) {
                const id = randomUUID();
                poison.set(id, topology.subject(type));
                const invalid = { id, type, version: 1, occurredAt: new Date().toISOString(), data: { nonsense: i } };
                await js.publish(topology.subject(type), JSON.stringify(invalid), { msgID: id });
              }
            }
            return {
              fault: 'poison messages',
              at,
              endedAt: Date.now(),
              note: `${poison.size} invalid events`,
              expectNotReady: [],
            };
          },
        ];
        const rounds = SIZE.rounds > 0 ? SIZE.rounds : faults.length + 2;
        const outcomes: FaultOutcome[] = [];
        const injector = (async () => {
          for (let round = 1; round < rounds - 1; round++) {
            await workload.reachedRound(round);
            await pause(150);
            const fault = faults[(round - 1) % faults.length];
            if (fault !== undefined) {
              const outcome = await fault();
              say(`round ${round + 1}/${rounds}: ${outcome.fault} (${outcome.note})`);
              outcomes.push(outcome);
            }
          }
        })();
        const started = Date.now();
        say(`[4/5] ${rounds} rounds of ${SIZE.keywords} crawls, a fault in each round but the first and last`);
        const crawling = new ProgressReporter('crawls', rounds * SIZE.keywords, { emit: say, unit: 'crawls' });
        const run = workload.run({ keywords: SIZE.keywords, rounds }, () => crawling.advance(SIZE.keywords));
        await Promise.all([run, injector]);
        crawling.finish();

        // Settle: outboxes drain and consumers reach the head, or the checker reports what is stuck.
        say('[5/5] checking: outboxes drained, consumers at the head, state as the workload implies (up to 120 s)');
        const jsm = await jetstream(nc).jetstreamManager();
        let verdict = await check({
          nc,
          jsm,
          topology,
          databaseUrl: pg.adminUrl(),
          record: workload.record,
          poison,
        });
        const settleDeadline = Date.now() + 120_000;
        while (verdict.findings.some((finding) => !finding.ok) && Date.now() < settleDeadline) {
          const failing = verdict.findings.filter((finding) => !finding.ok).map((finding) => finding.check);
          say(`settling, ${failing.length} checks not met yet: ${failing.join('; ').slice(0, 200)}`);
          await pause(2_000);
          verdict = await check({ nc, jsm, topology, databaseUrl: pg.adminUrl(), record: workload.record, poison });
        }
        if (FAULT_SERVICES.includes('reporting')) {
          verdict.findings.push(await projectionsMatchReplay(pg.adminUrl(), nc, topology, workload.record.tenantId));
        }
        monitor.stop();

        const probeFindings: Finding[] = [];
        const liveness = monitor.livenessFailures(started, Date.now());
        probeFindings.push({
          check: 'liveness 200 throughout (while the process was up)',
          ok: liveness.length === 0,
          detail: liveness.length === 0 ? 'no failure' : liveness.slice(0, 5).join(', '),
        });
        const rows = outcomes.map((outcome) => {
          const notReady = monitor.notReadyDuring(outcome.at, outcome.endedAt + 5_000);
          const missing = outcome.expectNotReady.filter((name) => !notReady.has(name));
          const recovery = monitor.recoveryMs(outcome.endedAt);
          const ok = missing.length === 0 && recovery !== undefined && recovery <= 60_000;
          probeFindings.push({
            check: `${outcome.fault}: readiness fails while down (503, or two probes unanswered), ready again within 60 s`,
            ok,
            detail: `${missing.length === 0 ? 'readiness as expected' : `never 503: ${missing.map((name) => `${name} (${monitor.readinessTrace(name, outcome.at, outcome.endedAt + 5_000)})`).join(', ')}`}; fault ${new Date(outcome.at).toISOString().slice(11, 23)}–${new Date(outcome.endedAt).toISOString().slice(11, 23)}; recovered in ${recovery ?? '∞'} ms`,
          });
          return `| ${outcome.fault} | ${outcome.note} | ${recovery === undefined ? 'never' : `${(recovery / 1_000).toFixed(1)} s`} | ${ok ? 'ok' : 'FAILED'} |`;
        });
        const findings = [...verdict.findings, ...probeFindings];
        const report = [
          `fault run (${FULL ? 'full' : 'short'}): ${workload.record.crawlIds.length} crawls, ${verdict.events} events, services ${FAULT_SERVICES.join(', ')}`,
          '',
          '| fault | how | all ready again after | outcome |',
          '|---|---|---|---|',
          ...rows,
          '',
          '| check | result | detail |',
          '|---|---|---|',
          ...findings.map((finding) => `| ${finding.check} | ${finding.ok ? 'ok' : 'FAILED'} | ${finding.detail} |`),
        ].join('\n');
        process.stdout.write(`\n${report}\n\n`);
        if (findings.some((finding) => !finding.ok)) {
          const diagnoses = await Promise.all(services.map((service) => service.diagnosis()));
          process.stdout.write(`services at the end of the failed run:\n\n${diagnoses.join('\n\n')}\n\n`);
        }
        expect(findings.filter((finding) => !finding.ok)).toEqual([]);
        if (FULL) {
          expect(verdict.events).toBeGreaterThanOrEqual(100_000);
        }
      } finally {
        await Promise.all(services.map((service) => service.stop()));
        await nc?.close();
        await sim.close();
        await nats.destroy();
        await pg.destroy();
      }
    },
    60 * 60_000,
  );
});
