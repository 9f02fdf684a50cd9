import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { randomPortBelowEphemeral } from '@shelfwatch/testing';

const ROOT = resolve(__dirname, '..', '..', '..');

/** `node dist/tools/cli/start.js` (the built launcher, as `npm start` runs it) with its output collected. */
export interface LauncherProcess {
  child: ChildProcess;
  output: string[];
  /** Resolves with the first line matching `pattern`; rejects after `timeoutMs` or when the launcher exits. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the built launcher with exactly `env` (plus PATH). `viaShell` runs it as `npm start` does, under
 * `sh -c 'build && node …'`, so that `child` is the shell and the launcher its child.
 */
export function spawnLauncher(env: NodeJS.ProcessEnv, viaShell = false): LauncherProcess {
  const [command, args] = viaShell
    ? ['sh', ['-c', `true && "${process.execPath}" dist/tools/cli/start.js`]]
    : [process.execPath, ['dist/tools/cli/start.js']];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const collect = (line: string): void => {
    output.push(line);
    waiters.filter((waiter) => waiter.pattern.test(line)).forEach((waiter) => waiter.resolve(line));
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) {
      createInterface({ input: stream }).on('line', collect);
    }
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const waitForLine = (pattern: RegExp, timeoutMs: number): Promise<string> =>
    new Promise((found, reject) => {
      const seen = output.find((line) => pattern.test(line));
      if (seen !== undefined) {
        found(seen);
        return;
      }
      const timer = setTimeout(
        () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), found(line)) });
      void exited.then(() => {
        clearTimeout(timer);
        // The launcher's own lines say why it stopped; the services' last lines follow.
        const own = output.filter((line) => line.startsWith('start:')).join('\n');
        const tail = output.slice(-40).join('\n');
        reject(new Error(`launcher exited before a line matched ${pattern}:\n${own}\n---\n${tail}`));
      });
    });
  return { child, output, waitForLine, exited };
}

/** Pids of every process whose environment holds `SHELFWATCH_NAMESPACE=<namespace>` (Linux /proc). */
export function processesOfNamespace(namespace: string): number[] {
  const marker = `SHELFWATCH_NAMESPACE=${namespace}`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Pids of the processes of `namespace` running service `app` (its built `main.js`). */
export function servicePids(namespace: string, app: string): number[] {
  return processesOfNamespace(namespace).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(`dist/services/${app}/src/main.js`);
    } catch {
      return false;
    }
  });
}

/** Resolves once no process of `namespace` is left; rejects after `timeoutMs` (a cap against hanging, not a check). */
export async function untilNoProcessOf(namespace: string, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (processesOfNamespace(namespace).length > 0) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`processes of ${namespace} still running after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/**
 * A `START_PORT_OFFSET` under which the seven services' ports and the simulator's are all free, below the
 * ephemeral range (where a client socket could take one before the service binds it), and none of them one of
 * `taken` (ports picked for the launcher's Postgres or NATS: free when picked, but not for long).
 */
export async function freePortOffset(taken: readonly number[] = []): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = randomPortBelowEphemeral(100);
    if (base === 0) {
      throw new Error('the ephemeral port range leaves no room for the services below it');
    }
    const offset = base - 3000;
    const ports = [0, 1, 2, 3, 4, 5, 6, 100].map((port) => 3000 + offset + port);
    if (ports.some((port) => taken.includes(port))) {
      continue;
    }
    if ((await Promise.all(ports.map(portIsFree))).every(Boolean)) {
      return offset;
    }
  }
  throw new Error('no free port range found');
}
