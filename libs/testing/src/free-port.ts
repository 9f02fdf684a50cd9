import { readFileSync } from 'node:fs';
import { Server, createServer } from 'node:net';

/** The lowest port handed out: clear of the well-known and registered ports services run on. */
const LOWEST = 10_000;

/**
 * The ports the kernel gives outgoing connections (`ip_local_port_range`). A port picked there can be taken
 * by any client socket (a pool's connection to Postgres, say) between the pick and the bind, and a server
 * then fails with EADDRINUSE for as long as that connection lives: CI saw it. Ports are picked below it.
 */
export function ephemeralPorts(): { low: number; high: number } {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low !== undefined && high !== undefined && low > 0 && high >= low) {
      return { low, high };
    }
  } catch {
    // Not Linux: the IANA range.
  }
  return { low: 49_152, high: 65_535 };
}

/**
 * A random port from which `room` more ports all stay below the ephemeral range (nothing is checked: see
 * {@link freePorts}); 0 (let the OS pick) when the ephemeral range leaves no room below it.
 */
export function randomPortBelowEphemeral(room = 0): number {
  const span = ephemeralPorts().low - room - LOWEST;
  return span < 1_000 ? 0 : LOWEST + Math.floor(Math.random() * span);
}

/** Listens on `port` (0: any) on the loopback; undefined when it is taken. */
function hold(port: number): Promise<{ server: Server; port: number } | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}

/**
 * `count` distinct TCP ports on the loopback that nothing listens on right now, below the ephemeral range (see
 * {@link ephemeralPorts}). All are held until the last is picked, so two calls in a row cannot hand out the
 * same port twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const held: { server: Server; port: number }[] = [];
  try {
    for (let attempt = 0; held.length < count; attempt++) {
      if (attempt >= 100 * count) {
        throw new Error(`no ${count} free ports found in ${attempt} attempts`);
      }
      const taken = await hold(randomPortBelowEphemeral());
      if (taken !== undefined) {
        held.push(taken);
      }
    }
    return held.map(({ port }) => port);
  } finally {
    await Promise.all(held.map(({ server }) => new Promise((done) => server.close(done))));
  }
}

/** A TCP port on the loopback that nothing listens on right now, below the ephemeral range. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) {
    throw new Error('no port');
  }
  return port;
}
