import { Server, Socket, connect, createServer } from 'node:net';
import { freePort } from '@shelfwatch/testing';

/**
 * A TCP relay to the machine's Redis that a test can cut, stall and restore, so that "Redis went away" is
 * tried without touching the server other test runs share.
 */
export class RedisProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private stalled = false;
  /** What arrived while stalled, relayed in order on resume (TCP loses nothing: Redis was slow, not lossy). */
  private held: { to: Socket; chunk: Buffer }[] = [];

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  /** Starts relaying on a free port. */
  static async start(target = { host: '127.0.0.1', port: 6379 }): Promise<RedisProxy> {
    const proxy = new RedisProxy(await freePort(), target);
    await proxy.resume();
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Redis is gone: every connection is cut and none is accepted. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.held = [];
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.sockets.clear();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** Redis hangs: connections stay open but nothing is relayed until {@link resume}. */
  stall(): void {
    this.stalled = true;
  }

  /** Redis is back on the same port. */
  async resume(): Promise<void> {
    this.stalled = false;
    for (const { to, chunk } of this.held.splice(0)) {
      to.write(chunk);
    }
    if (this.server) {
      return;
    }
    const server = createServer((client) => this.relay(client));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  async stop(): Promise<void> {
    await this.cut();
  }

  private relay(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    this.sockets.add(client).add(upstream);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (this.stalled) {
          this.held.push({ to, chunk });
        } else {
          to.write(chunk);
        }
      });
    forward(client, upstream);
    forward(upstream, client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  }
}
