import { HEALTH_RPC } from '@shelfwatch/contracts';
import { RpcServer } from '@shelfwatch/messaging';
import { CheckedRpcClient, TestNats, createTestNats, logger } from '@shelfwatch/testing';

/** What the stand-in health service answers to `health.summary.get` in the test running now. */
let summary: unknown;

describe('CheckedRpcClient', () => {
  let nats: TestNats;
  let server: RpcServer;
  let client: CheckedRpcClient;

  beforeAll(async () => {
    nats = await createTestNats();
    server = new RpcServer(nats.nc, nats.topology, 'health', logger);
    server.serve(HEALTH_RPC.summary, async () => summary);
    server.serve('health.query.untyped', async () => ({ anything: 1 }));
    client = new CheckedRpcClient(nats.nc, nats.topology);
    await nats.nc.flush();
  });

  afterAll(async () => {
    await server.stop();
    await nats.cleanup();
  });

  it('passes an answer that keeps its subject’s contract', async () => {
    summary = { status: 'degraded', timestamp: '2026-12-04T09:30:00.000Z' };
    await expect(client.request(HEALTH_RPC.summary, {})).resolves.toEqual(summary);
  });

  it('rejects an answer that breaks its subject’s contract, naming the subject and every failing field', async () => {
    summary = { status: 'fine', at: '2026-12-04T09:30:00.000Z' };
    await expect(client.request(HEALTH_RPC.summary, {})).rejects.toThrow(
      /the answer of health\.summary\.get breaks its contract: status: .*; timestamp: /,
    );
  });

  it('leaves a subject outside the registry unchecked', async () => {
    await expect(client.request('health.query.untyped', {})).resolves.toEqual({ anything: 1 });
  });
});
