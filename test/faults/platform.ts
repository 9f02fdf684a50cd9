import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Env, ServiceName } from '@shelfwatch/config';
import { startSimulator } from '../../tools/marketplace-sim/src';
import { SpawnedService, spawnBuiltService } from '../../libs/platform/test/spawn-service';
import { EXPECTED_SERVICES } from './expected';

const ROOT = resolve(__dirname, '..', '..');

/**
 * The services the fault run drives, in start order: every expected one, and a run without the build of one
 * fails here rather than checking less.
 */
export function faultServices(): readonly ServiceName[] {
  const missing = EXPECTED_SERVICES.filter(
    (service) => !existsSync(resolve(ROOT, 'dist', 'services', service, 'src', 'main.js')),
  );
  if (missing.length > 0) {
    throw new Error(`the fault run needs ${missing.join(', ')} built in dist/ (npm run build)`);
  }
  return EXPECTED_SERVICES;
}

/** A built service process that the run may kill -9 and start again with the same environment. */
export class ManagedService {
  private process: SpawnedService | undefined;
  /** What the processes killed before the current one wrote, stdout then stderr of each. */
  private readonly earlierOutput: string[] = [];
  /**
   * From each kill until the restarted process first answered liveness (failures there are expected).
   * `restartedAt` is when the new process was spawned: only a probe sent after it can end the window.
   */
  readonly downWindows: { from: number; restartedAt: number | undefined; to: number | undefined }[] = [];

  constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly env: Env,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): void {
    const open = this.downWindows.at(-1);
    if (open !== undefined && open.restartedAt === undefined) {
      open.restartedAt = Date.now();
    }
    this.process = spawnBuiltService(this.name, { ...this.env, PORT: String(this.port) });
  }

  /**
   * The probe monitor saw liveness 200 for a probe sent at `at`: a kill window (which includes the restart's
   * boot) ends here, but only if the probe went to the restarted process. A probe sent just before the kill can
   * answer 200 after the window opened; it must not close the window, or the restart's boot would count as
   * liveness failures.
   */
  markLive(at: number): void {
    const open = this.downWindows.at(-1);
    if (open !== undefined && open.to === undefined && open.restartedAt !== undefined && at >= open.restartedAt) {
      open.to = at;
    }
  }

  /**
   * SIGKILL: no shutdown hook runs, in-flight transactions roll back, unacked messages are redelivered. Answers
   * how the process ended (`SIGKILL` confirms the kill hit a running process), or undefined if none ran.
   */
  async kill9(): Promise<NodeJS.Signals | null | undefined> {
    const current = this.process;
    if (current === undefined) {
      return undefined;
    }
    const running = current.child.exitCode === null && current.child.signalCode === null;
    this.downWindows.push({ from: Date.now(), restartedAt: undefined, to: undefined });
    current.child.kill('SIGKILL');
    const { signal } = await current.exited;
    this.earlierOutput.push(...current.stdout, ...current.stderr);
    this.process = undefined;
    return running ? signal : undefined;
  }

  async stop(): Promise<void> {
    const current = this.process;
    this.process = undefined;
    if (current !== undefined && current.child.exitCode === null) {
      current.child.kill('SIGTERM');
      await Promise.race([current.exited, new Promise((done) => setTimeout(done, 10_000))]);
      current.child.kill('SIGKILL');
    }
  }

  /** Whether `at` falls in a window where the run had killed this process. */
  wasDown(at: number): boolean {
    return this.downWindows.some((window) => at >= window.from - 500 && at <= (window.to ?? Infinity));
  }

  stderrTail(lines = 20): string {
    return this.process?.stderr.slice(-lines).join('\n') ?? '';
  }

  /**
   * For a failed run: whether the process still runs, what its readiness says now, and its last log lines
   * (stdout carries the JSON logs, stderr anything printed before the logger existed).
   */
  /**
   * Its log lines (pino JSON, `time` in ISO) stamped from `from` to `to`, at most `max`: what it said while a probe
   * went unanswered. Lines without a time are left out.
   */
  logBetween(from: number, to: number, max = 40): string[] {
    const inWindow = (line: string): boolean => {
      const time = /"time":"([^"]+)"/.exec(line)?.[1];
      const at = time === undefined ? NaN : Date.parse(time);
      return at >= from && at <= to;
    };
    const lines = [...this.earlierOutput, ...(this.process?.stdout ?? []), ...(this.process?.stderr ?? [])].filter(
      inWindow,
    );
    return lines.length > max
      ? [...lines.slice(0, max / 2), `… ${lines.length - max} lines …`, ...lines.slice(-max / 2)]
      : lines;
  }

  async diagnosis(lines = 30): Promise<string> {
    const current = this.process;
    if (current === undefined) {
      return `${this.name}: not running`;
    }
    const ready = await fetch(`${this.baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) })
      .then(async (response) => `${response.status} ${await response.text()}`)
      .catch((error: unknown) => `no answer (${String(error)})`);
    return [
      `${this.name} (pid ${current.child.pid}, exit code ${current.child.exitCode}, signal ${current.child.signalCode}): readiness ${ready}`,
      ...current.stdout.slice(-lines),
      ...current.stderr.slice(-lines),
    ].join('\n');
  }
}

/** What the services of a fault run share: the private Postgres and NATS, a namespace, the simulator. */
export interface PlatformEnv {
  databaseUrl: string;
  natsUrl: string;
  namespace: string;
  simulatorUrl: string;
}

/** Items on the one page each crawl of the run fetches. */
export const ITEMS_PER_CRAWL = 100;

/** Environment of each service for the fault run (fast crawls: one page of 100 items, many workers). */
export function serviceEnv(platform: PlatformEnv): Env {
  return {
    NODE_ENV: 'development',
    DATABASE_URL: platform.databaseUrl,
    NATS_URL: platform.natsUrl,
    SHELFWATCH_NAMESPACE: platform.namespace,
    LOG_LEVEL: 'warn',
    NAVER_API_BASE_URL: platform.simulatorUrl,
    NAVER_CLIENT_ID: 'faults',
    NAVER_CLIENT_SECRET: 'faults',
    NAVER_RATE_PER_SECOND: '1000',
    NAVER_MAX_CONCURRENCY: '16',
    // The full run sends more than a day of Naver's quota (25,000): the quota is not what is measured here.
    NAVER_DAILY_QUOTA: '100000000',
    CRAWL_WORKERS: '8',
    CRAWL_MAX_PAGES: '1',
    CRAWL_PAGE_SIZE: String(ITEMS_PER_CRAWL),
    CRAWL_SCHEDULER_INTERVAL_MS: '3600000',
    // Crawls failed by an injected fault are retried; a short back-off keeps them reaching an outcome quickly.
    CRAWL_RETRY_BASE_MS: '500',
    CRAWL_RETRY_MAX_MS: '2000',
    ALERTING_WEBHOOK_ALLOW_LOOPBACK: 'true',
  };
}

export { startSimulator };
