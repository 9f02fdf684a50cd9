import { AddressInfo, Server, Socket, createConnection, createServer } from 'node:net';

/** A TCP proxy in front of a dependency that a test can cut and restore, or slow down, to simulate an outage. */
export interface TcpProxy {
  /** Local port the proxy listens on (127.0.0.1); the same after a restore. */
  readonly port: number;
  /** Drops every open connection and stops listening, so that new connections are refused. */
  cut(): Promise<void>;
  /** Client connections open through the proxy now (a cut that found one confirms it cut someone off). */
  openConnections(): number;
  /**
   * Holds every chunk this long (each way) before forwarding it, in order; 0 forwards at once again. A slow
   * link rather than a broken one: connections stay open.
   */
  setLatency(ms: number): void;
  /** Chunks forwarded late so far (a latency fault that delayed none did not take effect). */
  delayedChunks(): number;
  /** Listens and forwards connections again. */
  restore(): Promise<void>;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

interface Link {
  latencyMs: number;
  delayed: number;
}

/**
 * Forwards `from` to `to`, each chunk held `link.latencyMs`. Held chunks wait in one queue released by one timer,
 * in arrival order: a chunk is never released before the one ahead of it, so lowering the latency cannot reorder
 * the stream (two timers due in the same millisecond may fire in either order). With no latency and nothing held,
 * back-pressure pauses the source as `pipe` would.
 */
function forward(from: Socket, to: Socket, link: Link): void {
  const held: { chunk: Buffer; releaseAt: number }[] = [];
  let timer: NodeJS.Timeout | null = null;
  let ended = false;
  const release = (): void => {
    timer = null;
    const now = Date.now();
    while ((held[0]?.releaseAt ?? Infinity) <= now) {
      const next = held.shift();
      if (next && !to.destroyed) {
        to.write(next.chunk);
      }
    }
    const head = held[0];
    if (head) {
      timer = setTimeout(release, head.releaseAt - now);
    } else if (ended) {
      to.end();
    }
  };
  from.on('data', (chunk: Buffer) => {
    const now = Date.now();
    if (link.latencyMs === 0 && held.length === 0) {
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
      return;
    }
    link.delayed += 1;
    // Never before the chunk ahead of it, whatever the latency is now.
    const releaseAt = Math.max(now + link.latencyMs, held.at(-1)?.releaseAt ?? 0);
    held.push({ chunk, releaseAt });
    timer ??= setTimeout(release, (held[0]?.releaseAt ?? releaseAt) - now);
  });
  from.on('end', () => {
    ended = true;
    if (held.length === 0) {
      to.end();
    }
  });
}

function pipeBoth(client: Socket, upstream: Socket, link: Link): void {
  forward(client, upstream, link);
  forward(upstream, client, link);
  for (const [socket, other] of [
    [client, upstream],
    [upstream, client],
  ] as const) {
    socket.on('error', () => other.destroy());
    socket.on('close', () => other.destroy());
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts a proxy on a free local port that forwards every connection to `target`. A cut refuses new
 * connections (like a stopped server) rather than accepting and dropping them: clients see ECONNREFUSED.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  const link: Link = { latencyMs: 0, delayed: 0 };
  const server = createServer((client) => {
    const upstream = createConnection(target);
    clients.add(client);
    client.once('close', () => clients.delete(client));
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    pipeBoth(client, upstream, link);
  });
  const port = await listen(server, 0);
  const stop = (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) {
      socket.destroy();
    }
    return server.listening ? closed : Promise.resolve();
  };
  return {
    port,
    cut: stop,
    openConnections: () => clients.size,
    setLatency: (ms) => {
      link.latencyMs = ms;
    },
    delayedChunks: () => link.delayed,
    restore: async () => {
      if (!server.listening) {
        await listen(server, port);
      }
    },
    close: stop,
  };
}
