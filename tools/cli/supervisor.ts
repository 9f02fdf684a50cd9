import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How a child is started. */
export interface ChildSpec {
  /** The prefix of its log lines and its name in progress messages. */
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Sees every line the child writes (stdout and stderr), before it is printed. */
  onLine?: (line: string) => void;
}

/** Where the supervisor writes: the children's lines (already prefixed) and its own. */
export interface Output {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/** How a child ended. */
export interface ChildExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Running {
  child: ChildProcess;
  exited: Promise<ChildExit>;
  done: boolean;
}

/** Longest prefix, so that the `|` of every line lines up. */
const PREFIX_WIDTH = 10;

/**
 * Runs child processes, each in a process group of its own (`detached`), so that:
 * - a Ctrl-C in the terminal reaches only the launcher, which then stops them in order;
 * - stopping a child reaches every process it started (Postgres' backends, for instance);
 * - after the deadline, `SIGKILL` to the group leaves nothing behind.
 */
export class Supervisor {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly output: Output,
    private readonly format: (name: string, line: string) => string,
  ) {}

  /** Starts `spec`; `onExit` runs when it ends (whatever the reason). */
  start(spec: ChildSpec, onExit: (exit: ChildExit) => void = () => undefined): ChildProcess {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = `${spec.name.padEnd(PREFIX_WIDTH)}| `;
    for (const [stream, sink] of [
      [child.stdout, this.output.stdout],
      [child.stderr, this.output.stderr],
    ] as const) {
      if (stream) {
        createInterface({ input: stream }).on('line', (line) => {
          spec.onLine?.(line);
          sink(prefix + this.format(spec.name, line));
        });
      }
    }
    const entry: Running = {
      child,
      done: false,
      exited: new Promise((resolve) => {
        const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
          if (!entry.done) {
            entry.done = true;
            const exit = { name: spec.name, code, signal };
            onExit(exit);
            resolve(exit);
          }
        };
        child.once('exit', finish);
        // A command that cannot be started (ENOENT) emits 'error' and never 'exit'.
        child.once('error', (error) => {
          this.output.stderr(`${prefix}${error.message}`);
          finish(127, null);
        });
      }),
    };
    this.running.set(spec.name, entry);
    return child;
  }

  /** Whether `name` was started and has not exited. */
  isRunning(name: string): boolean {
    const entry = this.running.get(name);
    return entry !== undefined && !entry.done;
  }

  /**
   * Sends `signal` to the process groups of `names`, waits for their leaders to exit, and `SIGKILL`s
   * every group still there after `deadlineMs` (and, to be sure, every group whose leader already left).
   * Resolves with the children that had to be killed.
   */
  async stop(names: readonly string[], signal: NodeJS.Signals, deadlineMs: number): Promise<string[]> {
    const targets = names.flatMap((name) => {
      const entry = this.running.get(name);
      return entry ? [{ name, entry }] : [];
    });
    for (const { entry } of targets) {
      if (!entry.done) {
        signalGroup(entry.child, signal);
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), deadlineMs);
    });
    await Promise.race([Promise.all(targets.map(({ entry }) => entry.exited)), deadline]);
    clearTimeout(timer);
    const killed = targets.filter(({ entry }) => !entry.done).map(({ name }) => name);
    for (const { entry } of targets) {
      signalGroup(entry.child, 'SIGKILL');
    }
    await Promise.all(targets.map(({ entry }) => entry.exited));
    return killed;
  }
}

/** Signals the process group led by `child`; a group that is already gone is not an error. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) {
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw error;
    }
  }
}
