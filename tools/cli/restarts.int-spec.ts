import { eventually, pause } from '@shelfwatch/testing';
import { RestartPolicy } from './restart-policy';
import { Restarter } from './restarts';
import { Supervisor } from './supervisor';

// Real child processes under the real supervisor; the delays are short so that giving up takes about a second.
const FAST: RestartPolicy = { initialDelayMs: 100, maxDelayMs: 400, maxExits: 5, windowMs: 60_000 };

function harness(policy: RestartPolicy) {
  const lines: string[] = [];
  const supervisor = new Supervisor(
    { stdout: (line) => lines.push(line), stderr: (line) => lines.push(line) },
    (_, l) => l,
  );
  let gaveUp: (reason: string) => void = () => undefined;
  const giveUp = new Promise<string>((resolve) => (gaveUp = resolve));
  const restarter = new Restarter(supervisor, policy, { print: (line) => lines.push(line), giveUp: gaveUp });
  return { lines, supervisor, restarter, giveUp };
}

const child = (script: string) => ({
  name: 'ranking',
  command: process.execPath,
  args: ['-e', script],
  env: {},
  cwd: '/',
});

describe('launcher restarts', () => {
  it('restarts a service that keeps crashing, saying so each time, and gives up on the fifth exit', async () => {
    const { lines, restarter, giveUp } = harness(FAST);
    restarter.start(child('process.exit(3)'));
    await expect(giveUp).resolves.toBe('ranking exited (code 3) 5 times within 60.0 s; see its lines above');
    expect(lines).toEqual([
      'ranking exited (code 3); restarting in 0.1 s (attempt 1)',
      'ranking exited (code 3); restarting in 0.2 s (attempt 2)',
      'ranking exited (code 3); restarting in 0.4 s (attempt 3)',
      'ranking exited (code 3); restarting in 0.4 s (attempt 4)',
    ]);
  });

  it('starts nothing again once cancelled: a stop in progress is not undone by a pending restart', async () => {
    const { lines, supervisor, restarter } = harness({ ...FAST, initialDelayMs: 200, maxDelayMs: 200 });
    restarter.start(child('console.log("up"); setTimeout(() => process.exit(1), 20)'));
    await eventually(() => expect(lines).toHaveLength(2));
    restarter.cancel();
    await pause(400);
    expect(supervisor.isRunning('ranking')).toBe(false);
    // Started once: no second "up".
    expect(lines).toEqual(['ranking   | up', 'ranking exited (code 1); restarting in 0.2 s (attempt 1)']);
  });
});
