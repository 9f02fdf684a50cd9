import { Writable } from 'node:stream';
import { Controller, Get, Header } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { registerHttpTracing } from './http-tracing';
import { LoggingModule } from './logging.module';
import { MetricsModule } from './metrics.module';
import { startTracing } from './tracing';

const exporter = new InMemorySpanExporter();
startTracing({ serviceName: 'modules-spec', spanProcessors: [new SimpleSpanProcessor({ exporter })] });

@Controller()
class ProbeController {
  @Get('health/live')
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('v1/products')
  products(): { items: never[] } {
    return { items: [] };
  }

  @Get('v1/session')
  @Header('Set-Cookie', 'sid=CANARY-SESSION; HttpOnly')
  session(): { ok: boolean } {
    return { ok: true };
  }
}

let logText = '';
const destination = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    logText += chunk.toString();
    callback();
  },
});
const logLines = () =>
  logText
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

let app: NestFastifyApplication;
beforeAll(async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [LoggingModule.forRoot({ service: 'gateway', level: 'info', destination }), MetricsModule],
    controllers: [ProbeController],
  }).compile();
  const adapter = new FastifyAdapter();
  registerHttpTracing(adapter.getInstance());
  app = moduleRef.createNestApplication<NestFastifyApplication>(adapter, { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
});
afterAll(() => app.close());
beforeEach(() => {
  exporter.reset();
  logText = '';
});

describe('MetricsModule', () => {
  it('serves the process metrics in the Prometheus text format', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.body).toContain('process_cpu_user_seconds_total');
  });
});

describe('LoggingModule', () => {
  it('logs a request once, with its trace id and without its credentials', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/products',
      headers: { authorization: 'Bearer sw_live_CANARY' },
    });

    expect(response.statusCode).toBe(200);

    const server = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER);
    const lines = logLines();
    expect(logText).not.toContain('CANARY');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      service: 'gateway',
      msg: 'request completed',
      trace_id: server?.spanContext().traceId,
      req: { headers: { authorization: '[REDACTED]' } },
    });
  });

  it('redacts credential headers and secret query parameters of the request line', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/products?page=2&api_key=CANARY1&accessToken=CANARY2',
      headers: {
        Authorization: 'Bearer CANARY3',
        cookie: 'sid=CANARY4',
        'x-api-key': 'CANARY5',
        'x-naver-client-secret': 'CANARY6',
        'proxy-authorization': 'Basic CANARY7',
      },
    });

    expect(response.statusCode).toBe(200);
    expect(logText).not.toContain('CANARY');
    expect(logLines()[0]).toMatchObject({
      req: {
        url: '/v1/products?page=2&api_key=%5BREDACTED%5D&accessToken=%5BREDACTED%5D',
        headers: { authorization: '[REDACTED]', cookie: '[REDACTED]', 'x-api-key': '[REDACTED]' },
      },
    });
  });

  it('redacts the cookie a response sets', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/session' });

    expect(response.headers['set-cookie']).toContain('CANARY-SESSION');
    expect(logText).not.toContain('CANARY');
    expect(logLines()[0]).toMatchObject({ res: { headers: { 'set-cookie': '[REDACTED]' } } });
  });

  it('does not log probes and scrapes', async () => {
    await app.inject({ method: 'GET', url: '/health/live' });
    await app.inject({ method: 'GET', url: '/metrics' });

    expect(logLines()).toEqual([]);
  });
});
