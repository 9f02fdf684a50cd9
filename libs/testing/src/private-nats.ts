import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of {@link PrivateNats.create}. */
export interface PrivateNatsOptions {
  /** Start with JetStream (default true); false gives a server whose JetStream API nobody answers. */
  jetstream?: boolean;
  /**
   * More configuration in nats-server syntax (an `authorization` block, say), appended to the port and
   * JetStream settings; `env` is the server's environment, where it reads the `$VARIABLES` of `config`.
   */
  config?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * A nats-server of a test's own on its own port (the machine's binary, not a stand-in), which the test may
 * stop and start again, with or without JetStream, without disturbing the shared server other tests use.
 */
export class PrivateNats {
  private child: ChildProcess | undefined;
  /** What the last start was given: a restart without options starts the same server again. */
  private options: PrivateNatsOptions = {};

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async create(port: number, options: PrivateNatsOptions = {}): Promise<PrivateNats> {
    const nats = new PrivateNats(port, mkdtempSync(join(tmpdir(), 'sw-nats-')));
    await nats.start(options);
    return nats;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /**
   * Starts the server (again) on the same port and storage directory, with `options` or, without, those of the
   * last start; resolves once it is ready.
   */
  async start(options: PrivateNatsOptions = this.options): Promise<void> {
    this.options = options;
    const { jetstream = true, config, env } = options;
    const bin = existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server';
    const args = ['-a', '127.0.0.1', '-p', String(this.port), ...(jetstream ? ['-js', '-sd', this.dir] : [])];
    if (config !== undefined) {
      const file = join(this.dir, 'extra.conf');
      writeFileSync(file, config);
      args.push('-c', file);
    }
    const child = spawn(bin, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: env ?? process.env,
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('nats-server did not start within 10 s')), 10_000);
      let output = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited with ${code}: ${output}`));
      });
    });
  }

  /** A clean restart's first half: SIGTERM and wait for the exit (JetStream flushes its files). */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** A crash: SIGKILL (nothing flushed) and wait for the exit; resolves with the signal that ended it. */
  kill(): Promise<NodeJS.Signals | undefined> {
    return this.signal('SIGKILL');
  }

  private async signal(signal: NodeJS.Signals): Promise<NodeJS.Signals | undefined> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) {
      return undefined;
    }
    const exited = new Promise<NodeJS.Signals | undefined>((resolve) =>
      child.once('exit', (_code, by) => resolve(by ?? undefined)),
    );
    child.kill(signal);
    return exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
