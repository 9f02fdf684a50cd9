import { Writable } from 'node:stream';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { createLogger, REDACTED } from './logging';
import { getTracer, startTracing } from './tracing';

startTracing({
  serviceName: 'logging-spec',
  spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
});

/** A destination that keeps every line written to it. */
function memoryDestination(): { stream: Writable; lines: () => Record<string, unknown>[]; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  const lines = () =>
    text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines, text: () => text };
}

describe('createLogger', () => {
  it('never writes credentials, at the top or nested', () => {
    const out = memoryDestination();
    const logger = createLogger({ service: 'gateway', level: 'info', destination: out.stream });

    logger.info(
      {
        req: { headers: { authorization: 'Bearer sw_live_CANARY', 'x-api-key': 'CANARY4', cookie: 'sid=CANARY5' } },
        res: { headers: { 'set-cookie': 'sid=CANARY6' } },
        config: { password: 'CANARY2', naver: { clientSecret: 'CANARY3' } },
        token: 'CANARY7',
      },
      'request received',
    );

    expect(out.text()).not.toMatch(/CANARY/);
    expect(out.lines()[0]).toMatchObject({
      req: { headers: { authorization: REDACTED } },
      config: { password: REDACTED, naver: { clientSecret: REDACTED } },
    });
  });

  it('writes JSON lines with the service, the level name and an ISO time', () => {
    const out = memoryDestination();
    createLogger({ service: 'crawler', level: 'info', destination: out.stream }).warn('slow marketplace');

    const [line] = out.lines();
    expect(line).toMatchObject({ service: 'crawler', level: 'warn', msg: 'slow marketplace' });
    expect(line?.time).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
  });

  it('carries the trace and span id of the active span, and none outside it', () => {
    const out = memoryDestination();
    const logger = createLogger({ service: 'ranking', level: 'info', destination: out.stream });

    const ids = getTracer().startActiveSpan('process ranking.recorded', (span) => {
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    logger.info('outside');

    const [inside, outside] = out.lines();
    expect(inside).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId });
    expect(outside?.trace_id).toBeUndefined();
  });
});
