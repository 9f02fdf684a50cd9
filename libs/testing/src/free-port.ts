import { Server, createServer } from 'node:net';

function listenOnAnyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      return port > 0 ? resolve({ server, port }) : reject(new Error('no port'));
    });
  });
}

/**
 * `count` distinct TCP ports on the loopback that nothing listens on right now (the OS picks them). All are held
 * until the last is picked, so two calls in a row cannot hand out the same port twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const held: { server: Server; port: number }[] = [];
  try {
    for (let i = 0; i < count; i++) {
      held.push(await listenOnAnyPort());
    }
    return held.map(({ port }) => port);
  } finally {
    await Promise.all(held.map(({ server }) => new Promise((done) => server.close(done))));
  }
}

/** A TCP port on the loopback that nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) {
    throw new Error('no port');
  }
  return port;
}
