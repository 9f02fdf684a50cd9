import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { notReadyWhy, waitForReadiness } from './readiness';

/** An HTTP server answering every request with `status` and `body`; resolves to it and its URL. */
async function serve(status: number, body: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.statusCode = status;
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health/ready` };
}

describe('waitForReadiness', () => {
  it('says what each service that never became ready answered last', async () => {
    const ready = await serve(200, '{"status":"ok"}');
    const failing = await serve(
      503,
      '{"status":"error",\n "error":{"nats":{"message":"consumers not running: reporting-ranking"}}}',
    );
    const gone = await serve(200, '');
    const goneUrl = gone.url;
    await new Promise<void>((resolve) => gone.server.close(() => resolve()));
    try {
      const lines: string[] = [];
      const result = await waitForReadiness(
        [
          { name: 'gateway', url: ready.url },
          { name: 'reporting', url: failing.url },
          { name: 'crawler', url: goneUrl },
        ],
        1_500,
        (line) => lines.push(line),
        () => false,
      );

      expect(result.ready).toEqual(['gateway']);
      expect(result.notReady.sort()).toEqual(['crawler', 'reporting']);
      expect(result.lastAnswers.gateway).toBeUndefined();
      expect(result.lastAnswers.reporting).toBe(
        'HTTP 503: {"status":"error", "error":{"nats":{"message":"consumers not running: reporting-ranking"}}}',
      );
      expect(result.lastAnswers.crawler).toMatch(/ECONNREFUSED/);
      expect(notReadyWhy(result)).toContain('reporting (HTTP 503: {"status":"error"');
      expect(lines).toEqual([expect.stringMatching(/^ready 1\/3: gateway/)]);
    } finally {
      ready.server.close();
      failing.server.close();
    }
  });
});
