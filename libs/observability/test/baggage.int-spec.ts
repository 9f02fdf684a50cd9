import { context, propagation } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { connect, headers as natsHeaders, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { TEST_NATS_URL, testNamespace } from '@shelfwatch/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { extractContext, injectContext, registerHttpTracing, startTracing, type TracingHandle } from '../src';

const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${CALLER_TRACE_ID}-00f067aa0ba902b7-01`;

/**
 * A client sends `baggage: tenant=evil` to a public endpoint whose handler then calls a service over NATS
 * the way `RpcClient` does (trace context injected into the request's headers). The service must see our trace
 * (the caller's is only a link) and no baggage: nothing a client writes may pose as context the platform set.
 */
describe('baggage sent by a client', () => {
  let tracing: TracingHandle;
  let nc: NatsConnection;
  let http: FastifyInstance;
  const subject = `${testNamespace()}.rpc.ranking.products`;
  const received: Msg[] = [];

  beforeAll(async () => {
    tracing = startTracing({
      serviceName: 'baggage-test',
      instrumentations: false,
      spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
    });
    nc = await connect({ servers: TEST_NATS_URL, name: 'baggage-test' });
    nc.subscribe(subject, {
      callback: (error, msg) => {
        if (!error) {
          received.push(msg);
          msg.respond('{}');
        }
      },
    });
    http = Fastify();
    registerHttpTracing(http);
    http.get('/v1/products', async () => {
      await request({});
      return { ok: true };
    });
    await http.ready();
  });

  afterAll(async () => {
    await http.close();
    await nc.close();
    await tracing.shutdown();
  });

  beforeEach(() => {
    received.length = 0;
  });

  /** What `RpcClient.request` does: the active context into the headers of a NATS request. */
  async function request(payload: unknown): Promise<void> {
    const headers = natsHeaders();
    injectContext(headers);
    await nc.request(subject, JSON.stringify(payload), { timeout: 5_000, headers });
  }

  it('does not reach the service behind the gateway, nor does the caller trace (ours is sent instead)', async () => {
    const response = await http.inject({
      method: 'GET',
      url: '/v1/products',
      headers: { traceparent: TRACEPARENT, baggage: 'tenant=evil,role=admin' },
    });

    expect(response.statusCode).toBe(200);
    const [msg] = received;
    expect(msg?.headers?.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(msg?.headers?.get('traceparent')).not.toContain(CALLER_TRACE_ID);
    expect(msg?.headers?.has('baggage')).toBe(false);
    expect(propagation.getBaggage(extractContext(msg?.headers))).toBeUndefined();
  });

  it('still lets baggage set inside the platform travel from service to service', async () => {
    const inside = propagation.setBaggage(
      context.active(),
      propagation.createBaggage({ origin: { value: 'scheduler' } }),
    );

    await context.with(inside, () => request({}));

    const [msg] = received;
    expect(propagation.getBaggage(extractContext(msg?.headers))?.getEntry('origin')?.value).toBe('scheduler');
  });
});
