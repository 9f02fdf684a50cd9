import { Writable } from 'node:stream';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { createLogger } from './logging';
import { MAX_DEPTH, REDACTED, TRUNCATED } from './redaction';
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

  it('redacts every credential-named key at any depth, in objects and in arrays', () => {
    const out = memoryDestination();
    const logger = createLogger({ service: 'gateway', level: 'info', destination: out.stream });

    logger.info({ a: { b: { c: { Authorization: 'Bearer x', clientSecret: 'y', list: [{ token: 'z' }] } } } }, 'deep');
    logger.info(
      {
        upstream: {
          request: {
            headers: { 'x-api-key': 'CANARY1', 'Set-Cookie': ['sid=CANARY2'], 'Proxy-Authorization': 'CANARY3' },
          },
          body: [[{ api_key: 'CANARY4', refresh_token: 'CANARY5', DB_PASSWORD: 'CANARY6', accessToken: 'CANARY7' }]],
        },
      },
      'variants',
    );

    const [deep, variants] = out.lines();
    expect(JSON.stringify(deep)).not.toMatch(/Bearer x|"y"|"z"/);
    expect(deep).toMatchObject({
      a: { b: { c: { Authorization: REDACTED, clientSecret: REDACTED, list: [{ token: REDACTED }] } } },
    });
    expect(JSON.stringify(variants)).not.toMatch(/CANARY/);
  });

  it('redacts the password of a connection string in any value and in an error message', () => {
    const out = memoryDestination();
    const logger = createLogger({ service: 'retention', level: 'info', destination: out.stream });

    logger.error(
      {
        err: new Error('connect ECONNREFUSED postgres://retention:CANARY1@db:5432/shelfwatch'),
        target: { databaseUrl: 'postgres://retention:CANARY2@db:5432/shelfwatch', natsUrl: 'nats://u:CANARY3@nats' },
      },
      'purge failed',
    );

    expect(out.text()).not.toMatch(/CANARY/);
    expect(out.lines()[0]).toMatchObject({
      target: { databaseUrl: `postgres://retention:${REDACTED}@db:5432/shelfwatch` },
    });
  });

  it('leaves the logged object untouched, survives cycles and writes nothing below the depth limit', () => {
    const out = memoryDestination();
    const logger = createLogger({ service: 'gateway', level: 'info', destination: out.stream });
    const config: Record<string, unknown> = { naver: { clientSecret: 'CANARY1' } };
    config.self = config;
    let deep: Record<string, unknown> = { password: 'CANARY2' };
    for (let level = 0; level < MAX_DEPTH + 2; level += 1) {
      deep = { next: deep };
    }

    logger.info({ config, deep }, 'config');

    expect(out.text()).not.toMatch(/CANARY/);
    expect(out.text()).toContain(TRUNCATED);
    expect(out.lines()[0]).toMatchObject({ config: { self: '[Circular]', naver: { clientSecret: REDACTED } } });
    expect(config.naver).toEqual({ clientSecret: 'CANARY1' });
  });

  it('writes an error without the values a database error carries, wherever it is in the object', () => {
    const out = memoryDestination();
    const logger = createLogger({ service: 'alerting', level: 'info', destination: out.stream });
    // What MikroORM makes of a pg unique violation: the detail appended to the message, the pg fields copied.
    const unique = Object.assign(
      new Error('duplicate key value violates unique constraint "users_email_key"\n - detail: Key (email)=(CANARY1)'),
      { code: '23505', severity: 'ERROR', constraint: 'users_email_key', table: 'users', detail: 'CANARY1' },
      { parameters: ['CANARY2'], params: ['CANARY3'], query: "insert ... 'CANARY4'", apiKey: 'CANARY5' },
    );
    const syntax = Object.assign(new Error('invalid input syntax for type uuid: "CANARY6"'), {
      code: '22P02',
      severity: 'ERROR',
    });

    logger.error({ err: unique, step: { failures: [syntax] } }, 'insert failed');

    expect(out.text()).not.toMatch(/CANARY/);
    expect(out.lines()[0]).toMatchObject({
      err: {
        type: 'Error',
        message: 'duplicate key value violates unique constraint "users_email_key"',
        code: '23505',
        constraint: 'users_email_key',
        table: 'users',
        stack: expect.stringMatching(
          /^Error: duplicate key value violates unique constraint "users_email_key"\n\s+at /,
        ),
      },
      step: {
        failures: [{ type: 'Error', message: `invalid input syntax for type uuid: "${REDACTED}"`, code: '22P02' }],
      },
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
