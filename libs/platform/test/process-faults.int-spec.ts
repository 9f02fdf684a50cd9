import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

/**
 * A process with the handlers `runService` installs (compiled, from dist/: build first): a promise rejected
 * with nobody awaiting it, then later a synchronous throw nobody catches.
 */
const PROBE = `
const { installProcessFaultHandlers } = require('./dist/libs/platform/src/process-faults.js');
const { createLogger } = require('@shelfwatch/observability');
installProcessFaultHandlers(createLogger({ service: 'probe', level: 'info' }));
void Promise.reject(new Error('nobody awaited me'));
setTimeout(() => {
  console.log(JSON.stringify({ msg: 'still running' }));
  setTimeout(() => { throw new Error('state unknown'); }, 10);
}, 100);
`;

function runProbe(): Promise<{ code: number | null; lines: Record<string, unknown>[] }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-e', PROBE], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('error', fail);
    child.once('exit', (code) => {
      const lines = out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      done({ code, lines });
    });
  });
}

describe('a service process meeting an error nothing handled', () => {
  it('logs a stray rejection with an errorId and runs on, then logs an uncaught throw and exits 1', async () => {
    const { code, lines } = await runProbe();

    expect(lines.map((line) => line.msg)).toEqual([
      'unhandled promise rejection; the process keeps running',
      'still running',
      'uncaught exception; exiting to be restarted',
    ]);
    expect(lines[0]).toMatchObject({
      level: 'error',
      errorId: expect.any(String),
      err: { message: 'nobody awaited me' },
    });
    expect(lines[2]).toMatchObject({ level: 'fatal', errorId: expect.any(String), err: { message: 'state unknown' } });
    expect(code).toBe(1);
  });
});
