import { AddressInfo, Server, Socket, createConnection, createServer } from 'node:net';
import { TcpProxy, eventually, startTcpProxy } from '@shelfwatch/testing';

/** An echo server behind the proxy: what the proxy does to the bytes shows in what comes back. */
describe('TcpProxy latency', () => {
  let echo: Server;
  let proxy: TcpProxy;

  beforeEach(async () => {
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    proxy = await startTcpProxy({ host: '127.0.0.1', port: (echo.address() as AddressInfo).port });
  });

  afterEach(async () => {
    await proxy.close();
    await new Promise((resolve) => echo.close(resolve));
  });

  function connectThrough(): Promise<{ socket: Socket; received: () => string }> {
    return new Promise((resolve, reject) => {
      let text = '';
      const socket = createConnection({ host: '127.0.0.1', port: proxy.port }, () =>
        resolve({ socket, received: () => text }),
      );
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.once('error', reject);
    });
  }

  function echoed(received: () => string, expected: string): Promise<void> {
    return new Promise((resolve) => {
      const poll = setInterval(() => {
        if (received().length >= expected.length) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
  }

  it('forwards at once without latency, and holds each chunk both ways with it', async () => {
    const { socket, received } = await connectThrough();
    socket.write('a');
    await echoed(received, 'a');
    expect(proxy.delayedChunks()).toBe(0);

    proxy.setLatency(150);
    const sent = Date.now();
    socket.write('b');
    await echoed(received, 'ab');
    // Held on the way there and on the way back: a lower bound, which a slow machine cannot break.
    expect(Date.now() - sent).toBeGreaterThanOrEqual(290);
    expect(proxy.delayedChunks()).toBe(2);
    expect(proxy.openConnections()).toBe(1);
    socket.destroy();
  });

  it('keeps the stream in order when the latency drops while chunks are held', async () => {
    const { socket, received } = await connectThrough();
    proxy.setLatency(200);
    socket.write('first ');
    await eventually(() => expect(proxy.delayedChunks()).toBe(1));
    proxy.setLatency(0);
    socket.write('second');
    await echoed(received, 'first second');
    expect(received()).toBe('first second');
    socket.destroy();
  });
});
