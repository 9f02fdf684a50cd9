import { IncomingHttpHeaders, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request a test receiver got. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A local HTTP endpoint standing in for a tenant's system; answers `status` to every POST. */
export interface TestReceiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  status: number;
  close(): Promise<void>;
}

export async function startReceiver(status = 200): Promise<TestReceiver> {
  const requests: ReceivedRequest[] = [];
  const receiver = { status };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      res.writeHead(receiver.status, { location: 'http://169.254.169.254/' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A loopback URL where nothing listens: a receiver that is down (connection refused). */
export async function deadUrl(): Promise<string> {
  const receiver = await startReceiver();
  await receiver.close();
  return `http://127.0.0.1:${receiver.port}/hook`;
}
