import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { createServer, IncomingMessage, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..', '..', '..');
const PRELOAD = join(ROOT, 'dist', 'libs', 'observability', 'src', 'preload.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_TRACEPARENT = `00-${CALLER_TRACE_ID}-00f067aa0ba902b7-01`;

/**
 * A tiny "service" (`services/probe/src/main.js`, so the preload names it `probe`): it continues the trace of
 * `PROBE_TRACEPARENT` in a span, prints the traceparent it would send on, and ends, which flushes the SDK.
 */
const PROBE_SOURCE = `
const api = require(${JSON.stringify(require.resolve('@opentelemetry/api'))});
const incoming = api.propagation.extract(api.ROOT_CONTEXT, { traceparent: process.env.PROBE_TRACEPARENT });
api.trace.getTracer('probe').startActiveSpan('probe work', {}, incoming, (span) => {
  const outgoing = {};
  api.propagation.inject(api.context.active(), outgoing);
  span.end();
  process.stdout.write(JSON.stringify(outgoing));
});
`;

/** One OTLP/HTTP export as the collector received it. */
interface Received {
  path: string;
  contentType: string;
  body: Buffer;
}

type OtlpValue = { stringValue?: string; intValue?: string | number };
interface OtlpJsonRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { spans: { name: string; traceId: string }[] }[];
  }[];
}

/**
 * The preload of every service starts the OpenTelemetry Node SDK from the standard variables: a built probe
 * script runs under it as a service would, and exports to a collector this test runs (OTLP over HTTP).
 */
describe('the service preload', () => {
  let collector: Server;
  let collectorUrl = '';
  const received: Received[] = [];
  let probeMain = '';

  beforeAll(async () => {
    collector = createServer((request, response) => {
      void readBody(request).then((body) => {
        received.push({ path: request.url ?? '', contentType: request.headers['content-type'] ?? '', body });
        response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/json' });
        response.end(request.headers['content-type'] === 'application/json' ? '{}' : '');
      });
    });
    await new Promise<void>((done) => collector.listen(0, '127.0.0.1', done));
    collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const dir = join(mkdtempSync(join(tmpdir(), 'preload-sdk-')), 'services', 'probe', 'src');
    mkdirSync(dir, { recursive: true });
    probeMain = join(dir, 'main.js');
    writeFileSync(probeMain, PROBE_SOURCE);
  });

  afterAll(async () => {
    await new Promise((done) => collector.close(done));
  });

  beforeEach(() => {
    received.length = 0;
  });

  /** Runs the probe under the preload with `env` (and nothing else); answers the traceparent it sends on. */
  async function runProbe(env: Record<string, string>): Promise<string | undefined> {
    const { stdout } = await promisify(execFile)(process.execPath, ['--require', PRELOAD, probeMain], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PROBE_TRACEPARENT: CALLER_TRACEPARENT, ...env },
    });
    return (JSON.parse(stdout) as { traceparent?: string }).traceparent;
  }

  function jsonExports(): OtlpJsonRequest[] {
    return received.map((request) => JSON.parse(request.body.toString('utf8')) as OtlpJsonRequest);
  }

  it('exports to the traces endpoint with the resource of the process and OTEL_RESOURCE_ATTRIBUTES', async () => {
    const env = {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collectorUrl}/custom/traces`,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging',
    };
    const sentOn = [await runProbe(env), await runProbe({ ...env, OTEL_SERVICE_NAME: 'probe-renamed' })];

    // The process has exited: its SDK flushed before that.
    expect(received.map((request) => [request.path, request.contentType])).toEqual([
      ['/custom/traces', 'application/json'],
      ['/custom/traces', 'application/json'],
    ]);
    const resources = jsonExports().map((request) => attributesOf(request.resourceSpans[0]?.resource.attributes));
    expect(resources[0]).toMatchObject({
      'service.name': 'probe',
      'service.version': VERSION,
      'deployment.environment.name': 'staging',
    });
    expect(resources[1]).toMatchObject({ 'service.name': 'probe-renamed', 'service.version': VERSION });
    const instances = resources.map((resource) => resource['service.instance.id']);
    expect(instances[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(instances[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(instances[0]).not.toBe(instances[1]);
    // The span continues the caller's trace, and what the process sends on is that span.
    const spans = jsonExports().flatMap((request) => request.resourceSpans[0]?.scopeSpans[0]?.spans ?? []);
    expect(spans.map((span) => [span.name, span.traceId])).toEqual([
      ['probe work', CALLER_TRACE_ID],
      ['probe work', CALLER_TRACE_ID],
    ]);
    for (const traceparent of sentOn) {
      expect(traceparent).toMatch(new RegExp(`^00-${CALLER_TRACE_ID}-[0-9a-f]{16}-01$`));
      expect(traceparent).not.toBe(CALLER_TRACEPARENT);
    }
  });

  it('sends OTLP protobuf to <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces by default', async () => {
    await runProbe({ OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl });

    expect(received.map((request) => [request.path, request.contentType])).toEqual([
      ['/v1/traces', 'application/x-protobuf'],
    ]);
    expect(received[0]?.body.includes(Buffer.from('probe work'))).toBe(true);
  });

  it('exports nothing under OTEL_SDK_DISABLED=true, yet passes the caller’s trace context on', async () => {
    const sentOn = await runProbe({
      OTEL_SDK_DISABLED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });

    expect(sentOn).toBe(CALLER_TRACEPARENT);
    expect(received).toEqual([]);
  });
});

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => done(Buffer.concat(chunks)));
    request.on('error', fail);
  });
}

function attributesOf(attributes: { key: string; value: OtlpValue }[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (attributes ?? []).map(({ key, value }) => [key, String(value.stringValue ?? value.intValue ?? '')]),
  );
}
