import { RequestError, TimeoutError } from '@nats-io/transport-node';
import { TestNats, createTestNats, logger } from '@shelfwatch/testing';
import { z } from 'zod';
import { histogramCount, metricValue } from '../../resilience/test/metric-value';
import {
  EncodedAnswer,
  RpcClient,
  RpcHandlerError,
  RpcRemoteError,
  RpcReply,
  RpcServer,
  RpcUnavailableError,
  parseRequest,
  rpcSubject,
} from '../src/rpc';

const NOT_JSON = 'this is not json {';
/** An answer encoded once and sent to every request (non-ASCII and quotes: its bytes are UTF-8 JSON). */
const encodedRank = EncodedAnswer.of({ rank: 7, title: 'café "crème"' });
/** The client's timeout in the slow-service case; the slow handler answers only at ten times it. */
const SHORT_TIMEOUT_MS = 300;
const rpcFailures = (subject: string, reason: string): Promise<number> =>
  metricValue('shelfwatch_rpc_failures_total', { subject, reason });

/** Requests timed by the caller for `subject` that ended with `outcome`. */
const requestsTimed = (subject: string, outcome: string): Promise<number> =>
  histogramCount('shelfwatch_rpc_request_duration_seconds', { subject, outcome });

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
    server.serve(
      'ranking.query.slow',
      // Unref'd: the answer nobody waits for must not keep the test run alive.
      () => new Promise((resolve) => setTimeout(() => resolve('late'), 10 * SHORT_TIMEOUT_MS).unref()),
    );
    // Twice the broker's 1 MB max_payload, in a list of items as a careless list handler would answer.
    server.serve('ranking.query.huge', async () => ({ items: Array.from({ length: 2_000 }, () => 'x'.repeat(1_000)) }));
    server.serve('ranking.query.encoded', async () => encodedRank);
    server.serve('ranking.query.encoded-huge', async () =>
      EncodedAnswer.of({ items: Array.from({ length: 2_000 }, () => 'x'.repeat(1_000)) }),
    );
    server.serve('ranking.query.bigint', async () => ({ count: 1n }));
    server.serve('ranking.query.typed', async (payload) => parseRequest(z.object({ keywordId: z.uuid() }), payload));
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

  it('times every request on the caller side by subject (without the namespace) and outcome', async () => {
    const before = await Promise.all([
      requestsTimed('ranking.query.rank', 'ok'),
      requestsTimed('ranking.query.missing', 'remote_error'),
      requestsTimed('alerting.query.nobody', 'unavailable'),
    ]);

    await client.request('ranking.query.rank', {});
    await client.request('ranking.query.missing', {}).catch(() => undefined);
    await client.request('alerting.query.nobody', {}).catch(() => undefined);

    expect(
      await Promise.all([
        requestsTimed('ranking.query.rank', 'ok'),
        requestsTimed('ranking.query.missing', 'remote_error'),
        requestsTimed('alerting.query.nobody', 'unavailable'),
      ]),
    ).toEqual(before.map((count) => count + 1));
  });

  // No upper bound on the time taken: had the client waited for the answer, it would have resolved 'late'.
  it('gives up after the timeout when the service is too slow, not before', async () => {
    const started = Date.now();
    const error = await client.request('ranking.query.slow', {}, SHORT_TIMEOUT_MS).catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 20);
    expect(error).toBeInstanceOf(RpcUnavailableError);
    expect((error as RpcUnavailableError).reason).toBeInstanceOf(TimeoutError);
    // Expected under overload: no stack captured for it (withoutStackTrace).
    expect((error as RpcUnavailableError).stack).toBe(`RpcUnavailableError: ${(error as Error).message}`);
  });

  // Fast because the broker says at once that nobody listens, not because some timeout ran out: the reason says which.
  it('fails fast when no instance serves the subject', async () => {
    const error = await client.request('alerting.query.nobody', {}, 60_000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RpcUnavailableError);
    const { reason } = error as RpcUnavailableError;
    expect(reason).toBeInstanceOf(RequestError);
    expect((reason as RequestError).isNoResponders()).toBe(true);
  });

  describe('a request that is not JSON', () => {
    it('is answered `invalid` when it has a reply subject, and the next request is answered', async () => {
      const before = await rpcFailures('ranking.query.rank', 'not_json');
      const reply = await nats.nc.request(rpcSubject(nats.topology, 'ranking.query.rank'), NOT_JSON, {
        timeout: 3_000,
      });
      expect(reply.json<RpcReply<unknown>>()).toEqual({
        ok: false,
        error: { code: 'invalid', message: '(root): the request is not JSON' },
      });
      // A wedged connection would let this time out (~10 s on the old code); a live one answers at once.
      await expect(client.request('ranking.query.rank', { keywordId: 'k2' }, 3_000)).resolves.toMatchObject({
        rank: 3,
      });
      expect(await rpcFailures('ranking.query.rank', 'not_json')).toBe(before + 1);
    });

    it('is counted and logged when nobody waits for the answer, and the next request is answered', async () => {
      const before = await rpcFailures('ranking.query.rank', 'not_json');
      for (let i = 0; i < 3; i++) {
        nats.nc.publish(rpcSubject(nats.topology, 'ranking.query.rank'), NOT_JSON);
      }
      await expect(client.request('ranking.query.rank', { keywordId: 'k3' }, 3_000)).resolves.toMatchObject({
        rank: 3,
      });
      expect(await rpcFailures('ranking.query.rank', 'not_json')).toBe(before + 3);
    });
  });

  it('answers a request of the wrong schema `invalid` naming the field, and counts it with or without a reply subject', async () => {
    const before = await rpcFailures('ranking.query.typed', 'invalid');
    const error = await client
      .request('ranking.query.typed', { keywordId: 7 }, 3_000)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid', message: expect.stringContaining('keywordId:') });
    nats.nc.publish(rpcSubject(nats.topology, 'ranking.query.typed'), JSON.stringify({ keywordId: 7 }));
    await expect(client.request('ranking.query.rank', { keywordId: 'k6' }, 3_000)).resolves.toMatchObject({ rank: 3 });
    expect(await rpcFailures('ranking.query.typed', 'invalid')).toBe(before + 2);
  });

  it('answers `answer_too_large` naming the limit instead of an answer above max_payload, and keeps serving', async () => {
    const before = await rpcFailures('ranking.query.huge', 'answer_too_large');
    const error = await client.request('ranking.query.huge', {}, 3_000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RpcRemoteError);
    expect(error).toMatchObject({
      code: 'answer_too_large',
      message: expect.stringContaining(`${server.maxReplyBytes}-byte message limit`),
    });
    expect(server.maxReplyBytes).toBeLessThan(nats.nc.info?.max_payload ?? 0);
    expect(await rpcFailures('ranking.query.huge', 'answer_too_large')).toBe(before + 1);
    await expect(client.request('ranking.query.rank', { keywordId: 'k4' }, 3_000)).resolves.toMatchObject({ rank: 3 });
  });

  it('sends an answer encoded once as it is, again and again, and refuses one above max_payload likewise', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => client.request('ranking.query.encoded', {}, 3_000)));
    expect(answers).toEqual([1, 2, 3].map(() => ({ rank: 7, title: 'café "crème"' })));
    expect(encodedRank.value()).toEqual({ rank: 7, title: 'café "crème"' });
    const error = await client.request('ranking.query.encoded-huge', {}, 3_000).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'answer_too_large' });
    await expect(client.request('ranking.query.rank', { keywordId: 'k6' }, 3_000)).resolves.toMatchObject({ rank: 3 });
  });

  it('answers `internal` when the answer cannot be serialized, and keeps serving', async () => {
    const error = await client.request('ranking.query.bigint', {}, 3_000).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'internal', message: 'internal error' });
    expect(await rpcFailures('ranking.query.bigint', 'unserializable')).toBe(1);
    await expect(client.request('ranking.query.rank', { keywordId: 'k5' }, 3_000)).resolves.toMatchObject({ rank: 3 });
  });
});
