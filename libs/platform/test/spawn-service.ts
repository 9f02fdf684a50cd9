import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Env, ServiceName } from '@shelfwatch/config';

const ROOT = resolve(__dirname, '..', '..', '..');

/** A built service running as a child process, with its output collected line by line. */
export interface SpawnedService {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the first stdout line matching `pattern`; rejects after `timeoutMs` or if it exits. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `dist/services/<service>/src/main.js` with the observability preload, as `npm run start:<service>`. */
export function spawnBuiltService(service: ServiceName, env: Env): SpawnedService {
  const child = spawn(
    process.execPath,
    ['--require', './dist/libs/observability/src/preload.js', `dist/services/${service}/src/main.js`],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, OTEL_SDK_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    stdout.push(line);
    waiters.filter((waiter) => waiter.pattern.test(line)).forEach((waiter) => waiter.resolve(line));
  });
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => stderr.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const waitForLine = (pattern: RegExp, timeoutMs = 20_000): Promise<string> =>
    new Promise((resolveLine, reject) => {
      const found = stdout.find((line) => pattern.test(line));
      if (found !== undefined) {
        resolveLine(found);
        return;
      }
      const timer = setTimeout(
        () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolveLine(line)) });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`exited before a line matched ${pattern}: ${stderr.join('\n')}`));
      });
    });
  return { child, stdout, stderr, waitForLine, exited };
}
