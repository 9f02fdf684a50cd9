import { randomBytes, randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { NatsConnection, connect } from '@nats-io/transport-node';
import { RpcClient, Topology } from '@shelfwatch/messaging';
import { ProgressReporter } from '@shelfwatch/observability';
import { PrivateNats, eventually, freePort, freePorts, pause, startTcpProxy } from '@shelfwatch/testing';
import { loadCliConfig } from '../../tools/cli/cli.config';
import { migrateAll } from '../../tools/cli/migrate';
import { provisionAll } from '../../tools/cli/provision';
import { CheckInput, check, minimumsFor } from './checker';
import { FaultOutcome, FaultTargets, faultSchedule, natsKillSupport } from './fault-injectors';
import { PrivatePostgres } from './infra';
import { ITEMS_PER_CRAWL, ManagedService, faultServices, serviceEnv, startSimulator } from './platform';
import { ProbeMonitor } from './probes';
import { projectionsMatchReplay } from './replay';
import { faultsConfirmed, probeFindings, reportOf } from './report';
import { RegisteredWebhook, WebhookReceiver } from './webhook-receiver';
import { Workload } from './workload';

/**
 * The fault suite (`npm run test:faults` runs the full size, `npm test` a short one): rounds of crawls
 * through crawler → ranking → alerting → reporting while, round after round, services are killed with
 * SIGKILL (one of them during a NATS restart), the crawler is killed with committed but unpublished outbox
 * rows, NATS and Postgres are restarted, one service is cut off from NATS, the marketplace goes down and
 * throttles, and poison messages are published. Afterwards a checker compares the final state with the
 * workload's ledger, the simulator's log of what it served and the webhook deliveries the suite received.
 * Everything runs on a Postgres and a NATS server of its own, so restarting them disturbs nothing else.
 * `FAULTS_KEYWORDS` and `FAULTS_ROUNDS` set another size (a medium run).
 */
const FULL = process.env.FAULTS_MODE === 'full';
const SIZE = {
  keywords: Number(process.env.FAULTS_KEYWORDS ?? (FULL ? 200 : 24)),
  rounds: Number(process.env.FAULTS_ROUNDS ?? (FULL ? 125 : 0)),
};
/** A crawl may end failed this long after a fault ended: the crawler's own retries (5 × at most 2 s) and slack. */
const FAILURE_GRACE_MS = 20_000;
/** The service cut off from NATS by the partition fault (through a TCP proxy). */
const PARTITIONED = 'alerting';

/** A progress line of the suite, as it goes (jest shows a test's output only at its end otherwise). */
function say(line: string): void {
  process.stdout.write(`faults: ${line}\n`);
}

/** Two webhooks of the tenant: all alert events with a generated secret, and raised only with a chosen one. */
async function registerWebhooks(
  rpc: RpcClient,
  tenantId: string,
  receiver: WebhookReceiver,
): Promise<RegisteredWebhook[]> {
  const chosen = `whsec_${randomBytes(24).toString('base64')}`;
  const specs = [
    { name: 'all', events: ['alert.raised', 'alert.resolved'], secret: undefined },
    { name: 'raised', events: ['alert.raised'], secret: chosen },
  ];
  const out: RegisteredWebhook[] = [];
  for (const spec of specs) {
    const created = await rpc.request<{ secret?: string }>('alerting.webhook.create', {
      tenantId,
      url: receiver.urlFor(spec.name),
      events: spec.events,
      ...(spec.secret === undefined ? {} : { secret: spec.secret }),
    });
    const secret = spec.secret ?? created.secret ?? '';
    receiver.useSecret(spec.name, secret);
    out.push({ name: spec.name, path: `/hooks/${spec.name}`, events: spec.events, secret });
  }
  return out;
}

describe('fault suite: nothing lost, nothing duplicated, nothing stuck', () => {
  it(
    'survives kill -9, relay kills, NATS and Postgres restarts, a partition, latency, marketplace outages and poison',
    async () => {
      say(`[1/5] Postgres, NATS and the simulator of the suite (${FULL ? 'full' : 'short'} run)`);
      const names = faultServices();
      const pg = await PrivatePostgres.create(await freePort());
      const natsKill = natsKillSupport();
      const nats = await PrivateNats.create(await freePort(), { config: natsKill.config });
      const natsProxy = await startTcpProxy({ host: '127.0.0.1', port: nats.port });
      const sim = await startSimulator({ port: 0, seed: 11, recordServed: true });
      const receiver = new WebhookReceiver();
      await receiver.start();
      const namespace = `faults${randomUUID().slice(0, 8)}`;
      const env = serviceEnv({ databaseUrl: pg.adminUrl(), natsUrl: nats.url, namespace, simulatorUrl: sim.url });
      const services: ManagedService[] = [];
      const monitor = new ProbeMonitor(services);
      let nc: NatsConnection | undefined;
      try {
        say('[2/5] migrations, streams and the services');
        const config = loadCliConfig(env);
        await migrateAll(config, () => undefined);
        await provisionAll(config, () => undefined);
        const ports = await freePorts(names.length);
        names.forEach((name, i) => {
          const own = name === PARTITIONED ? { ...env, NATS_URL: `nats://127.0.0.1:${natsProxy.port}` } : env;
          services.push(new ManagedService(name, ports[i] ?? 0, own));
        });
        services.forEach((service) => service.start());
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
        const workload = new Workload(rpc, pg.adminUrl(), (now) => sim.control.setClock({ now }));
        say(`[3/5] seeding ${SIZE.keywords} products, one keyword each, and two webhooks`);
        const seeding = new ProgressReporter('seed', SIZE.keywords, { emit: say, unit: 'products' });
        await workload.seed(SIZE, () => seeding.advance());
        seeding.finish();
        const webhooks = await registerWebhooks(rpc, workload.record.tenantId, receiver);

        const poison = new Map<string, string>();
        const targets: FaultTargets = {
          services,
          pg,
          nats,
          sim: sim.control,
          nc,
          topology,
          natsProxy,
          partitioned: PARTITIONED,
          poison,
        };
        const faults = faultSchedule(names, natsKill);
        if (!natsKill.supported) {
          say(
            natsKill.forced
              ? `NATS SIGKILL forced on nats-server ${natsKill.version}, which has no sync_interval: always: acknowledged writes may be lost`
              : `NATS SIGKILL skipped: nats-server ${natsKill.version} has no sync_interval: always (2.10+ has)`,
          );
        }
        const rounds = SIZE.rounds > 0 ? SIZE.rounds : faults.length + 2;
        const outcomes: FaultOutcome[] = [];
        // Round r + 1 starts only once the fault of round r (r ≥ 1; round 0 has none) has ended: on a quiet
        // machine the rounds are shorter than the faults, and a workload that ran ahead left the last faults (a
        // marketplace outage) with no crawl to act on.
        const faultEnded = Array.from({ length: rounds }, () => {
          let resolve = (): void => undefined;
          const promise = new Promise<void>((done) => (resolve = done));
          return { promise, resolve: () => resolve() };
        });
        const injector = (async () => {
          for (let round = 1; round < rounds - 1; round++) {
            try {
              await workload.reachedRound(round);
              await pause(150);
              const fault = faults[(round - 1) % faults.length];
              if (fault !== undefined) {
                const outcome = await fault(targets);
                say(`round ${round + 1}/${rounds}: ${outcome.fault} (${outcome.note}; ${outcome.evidence})`);
                outcomes.push(outcome);
              }
            } finally {
              faultEnded[round]?.resolve();
            }
          }
        })();
        const started = Date.now();
        say(`[4/5] ${rounds} rounds of ${SIZE.keywords} crawls, a fault in each round but the first and last`);
        const crawling = new ProgressReporter('crawls', rounds * SIZE.keywords, { emit: say, unit: 'crawls' });
        const run = workload.run(
          { keywords: SIZE.keywords, rounds },
          () => crawling.advance(SIZE.keywords),
          (round) => (round >= 2 ? faultEnded[round - 1]?.promise : undefined) ?? Promise.resolve(),
        );
        await Promise.all([run, injector]);
        crawling.finish();

        // Settle: outboxes drain, consumers reach the head, webhooks are delivered, or the checker says what is not.
        say('[5/5] checking against the ledger, the served log and the deliveries (settling up to 120 s)');
        const input: CheckInput = {
          nc,
          jsm: await jetstream(nc).jetstreamManager(),
          topology,
          databaseUrl: pg.adminUrl(),
          record: workload.record,
          poison,
          served: (query, at) => sim.control.served.answer(query, new Date(at)),
          windows: outcomes,
          failureGraceMs: FAILURE_GRACE_MS,
          webhooks,
          received: receiver.deliveries,
          minimums: minimumsFor({
            keywords: SIZE.keywords,
            rounds,
            itemsPerCrawl: ITEMS_PER_CRAWL,
            raisedWebhooks: webhooks.filter((webhook) => webhook.events.includes('alert.raised')).length,
          }),
        };
        let verdict = await check(input);
        const settleDeadline = Date.now() + 120_000;
        while (verdict.findings.some((finding) => !finding.ok) && Date.now() < settleDeadline) {
          const failing = verdict.findings.filter((finding) => !finding.ok);
          const first = failing[0]?.failures[0] ?? '';
          say(`settling, ${failing.length} checks not met yet: ${failing.map((f) => f.check).join('; ')} (${first})`);
          await pause(2_000);
          verdict = await check(input);
        }
        const completed = input.minimums.crawls;
        verdict.findings.push(
          await projectionsMatchReplay(pg.adminUrl(), nc, topology, workload.record.tenantId, completed),
        );
        await monitor.stop();

        const scheduled = Math.min(faults.length, rounds - 2);
        const findings = [
          ...verdict.findings,
          faultsConfirmed(outcomes, scheduled),
          ...probeFindings(monitor, outcomes, started),
        ];
        const title = `fault run (${FULL ? 'full' : `${SIZE.keywords} keywords`}): ${workload.crawlIds.length} crawls requested, ${verdict.events} events, services ${names.join(', ')}; nats-server ${natsKill.version}`;
        process.stdout.write(`\n${reportOf(title, outcomes, monitor, findings)}\n\n`);
        if (findings.some((finding) => !finding.ok)) {
          const diagnoses = await Promise.all(services.map((service) => service.diagnosis()));
          process.stdout.write(`services at the end of the failed run:\n\n${diagnoses.join('\n\n')}\n\n`);
          for (const silence of monitor.restartingSilences(started, Date.now())) {
            const lines = services
              .find((service) => service.name === silence.service)
              ?.logBetween(silence.firstAt - 5_000, silence.lastAt + 2_000);
            process.stdout.write(
              `${silence.service} while its liveness went unanswered:\n${(lines ?? []).join('\n')}\n\n`,
            );
          }
        }
        expect(findings.filter((finding) => !finding.ok)).toEqual([]);
      } finally {
        await monitor.stop();
        await Promise.all(services.map((service) => service.stop()));
        await nc?.close();
        await receiver.close();
        await natsProxy.close();
        await sim.close();
        await nats.destroy();
        await pg.destroy();
      }
    },
    60 * 60_000,
  );
});
