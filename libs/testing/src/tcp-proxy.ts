import { AddressInfo, Server, Socket, createConnection, createServer } from 'node:net';

/** A TCP proxy in front of a dependency that a test can cut and restore, to simulate an outage. */
export interface TcpProxy {
  /** Local port the proxy listens on (127.0.0.1); the same after a restore. */
  readonly port: number;
  /** Drops every open connection and stops listening, so that new connections are refused. */
  cut(): Promise<void>;
  /** Client connections open through the proxy now (a cut that found one confirms it cut someone off). */
  openConnections(): number;
  /** Listens and forwards connections again. */
  restore(): Promise<void>;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

function pipeBoth(client: Socket, upstream: Socket): void {
  client.pipe(upstream);
  upstream.pipe(client);
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
  const server = createServer((client) => {
    const upstream = createConnection(target);
    clients.add(client);
    client.once('close', () => clients.delete(client));
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    pipeBoth(client, upstream);
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
    restore: async () => {
      if (!server.listening) {
        await listen(server, port);
      }
    },
    close: stop,
  };
}
