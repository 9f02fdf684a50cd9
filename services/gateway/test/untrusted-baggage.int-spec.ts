import type { Msg } from '@nats-io/transport-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { rpcSubject } from '@shelfwatch/messaging';
import { TracingHandle, startTracing } from '@shelfwatch/observability';
import { eventually } from '@shelfwatch/testing';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { GatewayAppModule } from '../src/app.module';
import { GatewayConfig, loadGatewayConfig } from '../src/gateway.config';
import { gatewayPersistence } from '../src/gateway.persistence';
import { ADMIN_KEY, Api } from './gateway.e2e-harness';

const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/**
 * A client of the public API sends `baggage: tenant=evil` and a `traceparent`: the real gateway, traced as in
 * production, must carry a trace of its own (the caller's is only a link) to the service it asks over NATS, and
 * none of that baggage.
 */
describe('gateway and a client-supplied baggage header', () => {
  let tracing: TracingHandle;
  let booted: BootedService<GatewayConfig>;

  beforeAll(async () => {
    // What the preload does in a running service; without it nothing is propagated and the test proves nothing.
    tracing = startTracing({
      serviceName: 'gateway',
      instrumentations: false,
      spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
    });
    booted = await bootInTestEnvironment(
      gatewayPersistence,
      loadGatewayConfig,
      (config, logger) => GatewayAppModule.forConfig(config, logger),
      () => ({ ADMIN_API_KEY: ADMIN_KEY }),
    );
  });

  afterAll(async () => {
    await booted?.stop();
    await tracing?.shutdown();
  });

  it('is not forwarded in the headers of the rpc the request leads to', async () => {
    const api = new Api(booted.sut);
    const { apiKey } = await api.tenant('acme');
    const { nc, topology } = booted.environment.nats;
    const received: Msg[] = [];
    const service = nc.subscribe(rpcSubject(topology, 'crawler.crawl.list'), {
      callback: (_error, msg) => {
        received.push(msg);
        msg.respond(JSON.stringify({ ok: true, data: { items: [], nextCursor: null, total: 0 } }));
      },
    });
    try {
      await api.call('GET', '/v1/crawls', {
        key: apiKey,
        headers: { traceparent: `00-${CALLER_TRACE_ID}-00f067aa0ba902b7-01`, baggage: 'tenant=evil,role=admin' },
      });

      const [msg] = await eventually(() => {
        expect(received).toHaveLength(1);
        return received;
      });
      expect(msg?.headers?.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(msg?.headers?.get('traceparent')).not.toContain(CALLER_TRACE_ID);
      expect(msg?.headers?.has('baggage')).toBe(false);
    } finally {
      service.unsubscribe();
    }
  });
});
