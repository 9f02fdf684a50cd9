import { TestNats, createTestNats, logger } from '@shelfwatch/testing';
import { RpcClient, RpcHandlerError, RpcRemoteError, RpcServer, RpcUnavailableError } from '../src/rpc';

describe('request/reply between services', () => {
  let nats: TestNats;
  let server: RpcServer;
  let client: RpcClient;

  beforeAll(async () => {
    nats = await createTestNats();
    server = new RpcServer(nats.nc, nats.topology, 'ranking', logger);
    client = new RpcClient(nats.nc, nats.topology);
    server.serve('ranking.query.rank', async (payload) => ({ echoed: payload, rank: 3 }));
    server.serve('ranking.query.missing', async () => {
      throw new RpcHandlerError('not_found', 'keyword not found');
    });
    server.serve('ranking.query.broken', async () => {
      throw new Error('database exploded: password=hunter2');
    });
    server.serve('ranking.query.slow', () => new Promise((resolve) => setTimeout(() => resolve('late'), 2_000)));
    await nats.nc.flush();
  });

  afterAll(async () => {
    await server.stop();
    await nats.cleanup();
  });

  it('answers a query with the handler result', async () => {
    await expect(client.request('ranking.query.rank', { keywordId: 'k1' })).resolves.toEqual({
      echoed: { keywordId: 'k1' },
      rank: 3,
    });
  });

  it('carries a domain error code back to the caller', async () => {
    const error = await client.request('ranking.query.missing', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RpcRemoteError);
    expect(error).toMatchObject({ code: 'not_found', message: 'keyword not found' });
  });

  it('answers an unexpected failure as internal, without its details', async () => {
    const error = await client.request('ranking.query.broken', {}).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'internal', message: 'internal error' });
  });

  it('gives up after the timeout when the service is too slow', async () => {
    const started = Date.now();
    await expect(client.request('ranking.query.slow', {}, 300)).rejects.toBeInstanceOf(RpcUnavailableError);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('fails fast when no instance serves the subject', async () => {
    const started = Date.now();
    await expect(client.request('alerting.query.nobody', {}, 5_000)).rejects.toBeInstanceOf(RpcUnavailableError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
