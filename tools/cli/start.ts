import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '@shelfwatch/config';
import { adminApiKey } from './admin-key';
import { PROVISIONER_USER } from '@shelfwatch/platform';
import { readyBanner } from './banner';
import { APPS, AppName, appPort, appSpecs, natsUserEnv, readinessUrl } from './children';
import { loadCliConfig, loadProvisionConfig } from './cli.config';
import { runDemo } from './demo-step';
import { prettyLogLine } from './log-format';
import {
  Dependencies,
  DepsContext,
  INFRA,
  LaunchError,
  resolveNats,
  resolveOtlp,
  resolvePostgres,
  resolveRedis,
} from './local-deps';
import { migrateAll } from './migrate';
import { provisionAll } from './provision';
import { notReadyWhy, seconds, waitForReadiness } from './readiness';
import { DEFAULT_RESTART_POLICY } from './restart-policy';
import { Restarter } from './restarts';
import { StartConfig, loadStartConfig } from './start.config';
import { Supervisor } from './supervisor';

/** The services (and the simulator) get this long after the signal; then their process groups are killed. */
const APP_STOP_DEADLINE_MS = 7_000;
/** Then Postgres and NATS, if the launcher started them. Both deadlines together stay under 10 s. */
const INFRA_STOP_DEADLINE_MS = 2_500;

// dist/tools/cli/start.js -> repository root, where the scripts' relative paths start.
const ROOT = resolve(__dirname, '..', '..', '..');
/** The dashboard build the gateway serves at `/` (relative to the root, its working directory). */
const DASHBOARD_INDEX = 'dist/dashboard/index.html';

const print = (line: string): void => void process.stdout.write(`start: ${line}\n`);

/**
 * `npm start`: the whole platform on this machine.
 * 1. Postgres, NATS and the trace collector: the configured ones, the local ones, or ones it starts in `.data/`.
 * 2. Migrations and JetStream provisioning.
 * 3. The simulator and the seven services, each in a process group of its own, with prefixed logs.
 * 4. Waits until every one is ready, prints the URLs (the dashboard's first), and creates (or reuses) the demo tenant.
 * 5. Restarts a service that exits, after 1 s doubling to 30 s; gives up when one exits 5 times within a minute.
 * 6. On SIGINT/SIGTERM, or on giving up, stops the services, then Postgres/NATS, killing what is left.
 */
class Launcher {
  private readonly supervisor: Supervisor;
  private readonly restarter: Restarter;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly config: StartConfig,
    private readonly dataDir: string,
  ) {
    const format = (_name: string, line: string): string =>
      config.logFormat === 'pretty' ? prettyLogLine(line) : line;
    this.supervisor = new Supervisor(
      { stdout: (line) => process.stdout.write(`${line}\n`), stderr: (line) => process.stderr.write(`${line}\n`) },
      format,
    );
    this.restarter = new Restarter(this.supervisor, DEFAULT_RESTART_POLICY, {
      print,
      giveUp: (reason) => void this.stop(reason, 1),
      restarted: (spec, attempt) => {
        const app = APPS.find((candidate) => candidate === spec.name);
        if (app) {
          void this.untilReadyAgain(app, attempt);
        }
      },
    });
  }

  /** Stops everything once; later calls wait for the first. Ends the process with `code`. */
  stop(reason: string, code: number): Promise<void> {
    this.stopping ??= (async () => {
      print(`stopping (${reason})`);
      this.restarter.cancel();
      const started = Date.now();
      const killedApps = await this.supervisor.stop(APPS, 'SIGTERM', APP_STOP_DEADLINE_MS);
      const killedInfra = await this.supervisor.stop(INFRA, 'SIGTERM', INFRA_STOP_DEADLINE_MS);
      const killed = [...killedApps, ...killedInfra];
      const note = killed.length > 0 ? `; killed after the deadline: ${killed.join(', ')}` : '';
      print(`stopped in ${seconds(Date.now() - started)}${note}`);
      process.exit(code);
    })();
    return this.stopping;
  }

  get isStopping(): boolean {
    return this.stopping !== null;
  }

  async run(): Promise<void> {
    const started = Date.now();
    print('[1/4] Postgres, NATS, traces, Redis');
    const deps = await this.dependencies();
    print('[2/4] migrations and JetStream streams');
    const env = { ...process.env, DATABASE_URL: deps.databaseUrl, NATS_URL: deps.natsUrl };
    await migrateAll(loadCliConfig(env), print);
    await provisionAll(loadProvisionConfig({ ...env, ...natsUserEnv(PROVISIONER_USER, deps.natsPasswords) }), print);
    this.exitIfStopping();
    print(`[3/4] simulator and services`);
    const adminKey = adminApiKey(this.config, this.dataDir);
    for (const spec of appSpecs({
      deps,
      adminApiKey: adminKey.value,
      portOffset: this.config.portOffset,
      env: process.env,
      root: ROOT,
    })) {
      this.restarter.start(spec);
    }
    print(`[4/4] waiting until every service is ready (at most ${seconds(this.config.readyTimeoutMs)})`);
    const targets = APPS.map((app) => ({ name: app, url: readinessUrl(app, this.config.portOffset) }));
    const result = await waitForReadiness(targets, this.config.readyTimeoutMs, print, () => this.isStopping);
    this.exitIfStopping();
    if (result.notReady.length > 0) {
      await this.stop(`not ready after ${seconds(result.elapsedMs)}: ${notReadyWhy(result)}`, 1);
      return;
    }
    print(
      `all ${APPS.length} ready ${seconds(result.elapsedMs)} after the services started (${seconds(Date.now() - started)} in all)`,
    );
    this.banner(deps, adminKey);
    if (this.config.demo) {
      await runDemo({
        gatewayUrl: `http://127.0.0.1:${appPort('gateway', this.config.portOffset)}`,
        simUrl: `http://127.0.0.1:${appPort('sim', this.config.portOffset)}`,
        adminApiKey: adminKey.value,
        stateFile: resolve(this.dataDir, 'demo.json'),
        print,
      });
    }
  }

  /** Says when a restarted child answers its readiness URL again. */
  private async untilReadyAgain(app: AppName, attempt: number): Promise<void> {
    const target = { name: app, url: readinessUrl(app, this.config.portOffset) };
    const result = await waitForReadiness(
      [target],
      this.config.readyTimeoutMs,
      () => undefined,
      () => this.isStopping,
    );
    if (!this.isStopping) {
      print(
        result.notReady.length === 0
          ? `${app} ready again ${seconds(result.elapsedMs)} after restart (attempt ${attempt})`
          : `${app} not ready ${seconds(result.elapsedMs)} after restart (attempt ${attempt}): ${notReadyWhy(result)}`,
      );
    }
  }

  private async dependencies(): Promise<Dependencies> {
    const ctx: DepsContext = {
      config: this.config,
      supervisor: this.supervisor,
      dataDir: this.dataDir,
      root: ROOT,
      print,
    };
    const databaseUrl = await resolvePostgres(ctx);
    const nats = await resolveNats(ctx);
    const otlpEndpoint = await resolveOtlp(ctx);
    const redisUrl = await resolveRedis(ctx);
    this.exitIfStopping();
    return { databaseUrl, natsUrl: nats.url, natsPasswords: nats.passwords, otlpEndpoint, redisUrl };
  }

  private exitIfStopping(): void {
    if (this.isStopping) {
      throw new StopRequested();
    }
  }

  private banner(deps: Dependencies, adminKey: { value: string; source: string }): void {
    const lines = readyBanner({
      portOffset: this.config.portOffset,
      otlpEndpoint: deps.otlpEndpoint,
      adminKey,
      dashboardBuilt: existsSync(resolve(ROOT, DASHBOARD_INDEX)),
    });
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

/**
 * `npm start` runs the launcher under `sh -c`: a SIGTERM to npm ends npm and the shell but not the launcher. It
 * then finds itself adopted by another parent, and stops everything as if signalled. Likewise when the reader of
 * its output is gone (a closed pipe), rather than crashing and leaving its children running.
 */
function stopWhenOrphaned(launcher: Launcher): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      void launcher.stop('the parent process is gone', 0);
    }
  }, 500).unref();
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', () => void launcher.stop('output closed', 1));
  }
}

/** Thrown to unwind `run` when a signal arrived meanwhile; the stop in progress ends the process. */
class StopRequested extends Error {}

async function main(): Promise<void> {
  let config: StartConfig;
  try {
    config = loadStartConfig(process.env);
  } catch (error) {
    process.stderr.write(`start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const dataDir = resolve(ROOT, config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const launcher = new Launcher(config, dataDir);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void launcher.stop(signal, 0));
  }
  stopWhenOrphaned(launcher);
  try {
    await launcher.run();
  } catch (error) {
    if (error instanceof StopRequested) {
      return;
    }
    const message =
      error instanceof LaunchError || error instanceof ConfigError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    process.stderr.write(`start: ${message}\n`);
    await launcher.stop('start-up failed', 1);
  }
}

if (require.main === module) {
  void main();
}
