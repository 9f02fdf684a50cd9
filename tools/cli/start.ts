import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { SERVICE_NAMES, ServiceName } from '@shelfwatch/config';
import { loadCliConfig } from './cli.config';
import { runCli } from './cli-main';
import { migrateAll } from './migrate';
import { provisionAll } from './provision';

/** How long the services get to stop after a signal before they are killed. */
const STOP_DEADLINE_MS = 10_000;

// dist/tools/cli/start.js -> repository root, where the scripts' relative paths start.
const ROOT = resolve(__dirname, '..', '..', '..');

/** Copies each line of `stream` to `out`, prefixed with the service's name. */
function prefixLines(stream: NodeJS.ReadableStream | null, name: string, out: NodeJS.WritableStream): void {
  if (stream) {
    createInterface({ input: stream }).on('line', (line) => out.write(`${name.padEnd(9)} | ${line}\n`));
  }
}

/** The local marketplace the crawler talks to under `npm start` (unless NAVER_API_BASE_URL says otherwise). */
const SIMULATOR_URL = 'http://127.0.0.1:3100';

/** What a child runs: a service, or the marketplace simulator. */
type Child = ServiceName | 'sim';

function spawnChild(name: Child): ChildProcess {
  // Each service takes its own default port: one PORT for all seven would make six of them fail.
  const { PORT: _ignored, ...inherited } = process.env;
  const env = {
    // The crawler searches the simulator, which accepts any non-empty credentials, unless told otherwise.
    NAVER_API_BASE_URL: SIMULATOR_URL,
    NAVER_CLIENT_ID: 'local',
    NAVER_CLIENT_SECRET: 'local',
    ...inherited,
  };
  const args =
    name === 'sim'
      ? ['dist/tools/marketplace-sim/src/main.js']
      : ['--require', './dist/libs/observability/src/preload.js', `dist/services/${name}/src/main.js`];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  prefixLines(child.stdout, name, process.stdout);
  prefixLines(child.stderr, name, process.stderr);
  return child;
}

/**
 * Runs the marketplace simulator and the seven services until a signal (forwarded to all of them) or until one of them exits (the others
 * are then stopped too). Resolves with the exit code of the launcher once every child has exited.
 */
export function superviseServices(): Promise<number> {
  const names: Child[] = ['sim', ...SERVICE_NAMES];
  const children = new Map(names.map((name) => [name, spawnChild(name)] as const));
  let stopping = false;
  let failed = false;
  const stopAll = (signal: NodeJS.Signals): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    for (const child of children.values()) {
      child.kill(signal);
    }
    setTimeout(() => {
      for (const child of children.values()) {
        child.kill('SIGKILL');
      }
    }, STOP_DEADLINE_MS).unref();
  };
  process.on('SIGINT', () => stopAll('SIGINT'));
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  return new Promise((done) => {
    for (const [service, child] of children) {
      child.once('exit', (code, signal) => {
        children.delete(service);
        failed ||= code !== 0;
        process.stdout.write(`start: ${service} exited (${signal ?? `code ${String(code)}`})\n`);
        stopAll('SIGTERM');
        if (children.size === 0) {
          done(failed ? 1 : 0);
        }
      });
    }
  });
}

async function start(): Promise<void> {
  const config = loadCliConfig(process.env);
  const print = (line: string): void => void process.stdout.write(`start: ${line}\n`);
  await migrateAll(config, print);
  await provisionAll(config, print);
  process.exitCode = await superviseServices();
}

if (require.main === module) {
  runCli('start', start);
}
