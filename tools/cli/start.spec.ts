import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret } from '@shelfwatch/config';
import { adminApiKey } from './admin-key';
import { readyBanner } from './banner';
import { APPS, appSpecs } from './children';
import { roleOf } from './healthcheck';
import { DepsContext, findNatsServer, resolveNats, resolveRedis } from './local-deps';
import { prettyLogLine } from './log-format';
import { servicesToMigrate } from './migrate';
import { loadStartConfig } from './start.config';
import { Supervisor } from './supervisor';

const deps = {
  databaseUrl: 'postgres://u@db/x',
  natsUrl: 'nats://n:4222',
  natsPasswords: null,
  otlpEndpoint: null,
  redisUrl: null,
};

function envOf(name: string, specs = appSpecs({ deps, adminApiKey: 'admin', portOffset: 0, env: {}, root: '/r' })) {
  const spec = specs.find((candidate) => candidate.name === name);
  if (!spec) {
    throw new Error(`no child ${name}`);
  }
  return spec.env;
}

describe('npm start children', () => {
  it('starts the simulator first, then the seven services, each on its own port', () => {
    const specs = appSpecs({ deps, adminApiKey: 'admin', portOffset: 100, env: { PORT: '9999' }, root: '/r' });
    expect(specs.map((spec) => spec.name)).toEqual(APPS);
    expect(specs.map((spec) => spec.env.PORT ?? spec.env.SIM_PORT)).toEqual([
      '3200',
      '3100',
      '3101',
      '3102',
      '3103',
      '3104',
      '3105',
      '3106',
    ]);
    expect(specs[1]?.args).toEqual([
      '--require',
      './dist/libs/observability/src/preload.js',
      'dist/services/gateway/src/main.js',
    ]);
  });

  it('gives the admin key to the gateway only, and the resolved Postgres and NATS to all', () => {
    expect(envOf('gateway').ADMIN_API_KEY).toBe('admin');
    // The gateway's metrics are on an internal port of their own (its HTTP port is public).
    expect(envOf('gateway').METRICS_PORT).toBe('9464');
    expect(envOf('crawler').ADMIN_API_KEY).toBeUndefined();
    expect(envOf('ranking')).toMatchObject({ DATABASE_URL: deps.databaseUrl, NATS_URL: deps.natsUrl });
  });

  it("gives each service its own NATS user and password on the launcher's NATS, and the simulator none", () => {
    const passwords = Object.fromEntries([...APPS, 'provisioner'].map((user) => [user, `pw-${user}`]));
    const specs = appSpecs({
      deps: { ...deps, natsPasswords: passwords },
      adminApiKey: 'a',
      portOffset: 0,
      env: { NATS_USER: 'admin', NATS_PASSWORD: 'admin-password' },
      root: '/r',
    });
    expect(envOf('ranking', specs)).toMatchObject({
      NATS_USER: 'ranking',
      NATS_PASSWORD: 'pw-ranking',
      PROVISION_ON_START: 'false',
    });
    expect(envOf('gateway', specs)).toMatchObject({ NATS_USER: 'gateway', NATS_PASSWORD: 'pw-gateway' });
    expect(envOf('sim', specs).NATS_PASSWORD).toBe('admin-password');
    expect(specs.map((spec) => spec.env.NATS_PASSWORD).filter((pw) => pw === 'pw-provisioner')).toEqual([]);
  });

  it('points the crawler at the simulator unless the user says otherwise', () => {
    expect(envOf('crawler').NAVER_API_BASE_URL).toBe('http://127.0.0.1:3100');
    const specs = appSpecs({
      deps,
      adminApiKey: 'a',
      portOffset: 0,
      env: { NAVER_API_BASE_URL: 'https://x' },
      root: '/r',
    });
    expect(envOf('crawler', specs).NAVER_API_BASE_URL).toBe('https://x');
  });

  it("points eBay at the simulator with the simulator's keyset, unless the user names a base URL", () => {
    expect(envOf('crawler')).toMatchObject({
      EBAY_API_BASE_URL: 'http://127.0.0.1:3100',
      EBAY_CLIENT_ID: 'local',
      EBAY_CLIENT_SECRET: 'local',
    });
    const specs = appSpecs({
      deps,
      adminApiKey: 'a',
      portOffset: 0,
      env: { EBAY_API_BASE_URL: 'https://api.ebay.com', EBAY_CLIENT_ID: 'mine' },
      root: '/r',
    });
    expect(envOf('crawler', specs)).toMatchObject({
      EBAY_API_BASE_URL: 'https://api.ebay.com',
      EBAY_CLIENT_ID: 'mine',
    });
    expect(envOf('crawler', specs).EBAY_CLIENT_SECRET).toBeUndefined();
  });

  it('points Rakuten at the simulator’s Item Search path with a simulator application id, unless set', () => {
    expect(envOf('crawler')).toMatchObject({
      RAKUTEN_API_BASE_URL: 'http://127.0.0.1:3100/services/api/IchibaItem/Search/20220601',
      RAKUTEN_APPLICATION_ID: 'local',
    });
    const own = { RAKUTEN_API_BASE_URL: 'https://openapi.rakuten.co.jp/x', RAKUTEN_APPLICATION_ID: 'mine' };
    const specs = appSpecs({ deps, adminApiKey: 'a', portOffset: 0, env: own, root: '/r' });
    expect(envOf('crawler', specs)).toMatchObject(own);
  });

  it('turns span export off when no collector answers, and on when one does', () => {
    expect(envOf('health').OTEL_SDK_DISABLED).toBe('true');
    const specs = appSpecs({
      deps: { ...deps, otlpEndpoint: 'http://jaeger:4318' },
      adminApiKey: 'a',
      portOffset: 0,
      env: {},
      root: '/r',
    });
    expect(envOf('health', specs)).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' });
    expect(envOf('health', specs).OTEL_SDK_DISABLED).toBeUndefined();
  });

  it("shares the gateway's rate limits through Redis only when one was found", () => {
    expect(envOf('gateway').RATE_LIMIT_REDIS_URL).toBeUndefined();
    const specs = appSpecs({
      deps: { ...deps, redisUrl: 'redis://127.0.0.1:6379' },
      adminApiKey: 'a',
      portOffset: 0,
      env: {},
      root: '/r',
    });
    expect(envOf('gateway', specs).RATE_LIMIT_REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(envOf('ranking', specs).RATE_LIMIT_REDIS_URL).toBeUndefined();
  });
});

describe('npm start admin key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sw-admin-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated once, kept readable by its owner only, and reused on the next start', () => {
    const first = adminApiKey({ adminApiKey: null }, dir);
    expect(first.value).toMatch(/^[\w-]{32}$/);
    expect(statSync(join(dir, 'admin-api-key')).mode & 0o777).toBe(0o600);
    expect(adminApiKey({ adminApiKey: null }, dir).value).toBe(first.value);
  });

  it('is ADMIN_API_KEY when set, without writing it anywhere', () => {
    const key = adminApiKey({ adminApiKey: { value: new Secret('given'), generated: false } }, dir);
    expect(key).toEqual({ value: 'given', source: 'ADMIN_API_KEY' });
    expect(() => readFileSync(join(dir, 'admin-api-key'))).toThrow();
  });
});

describe('nats-server lookup', () => {
  it('finds NATS_SERVER_BIN or nats-server on the PATH, and nothing when there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-bin-'));
    const binary = join(dir, 'nats-server');
    writeFileSync(binary, '#!/bin/sh\n', { mode: 0o755 });
    expect(findNatsServer({ natsServerBin: null, path: dir }, [])).toBe(binary);
    expect(findNatsServer({ natsServerBin: binary, path: '' }, [])).toBe(binary);
    expect(findNatsServer({ natsServerBin: null, path: '/nonexistent' }, [])).toBeNull();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('missing dependencies', () => {
  const context = (env: Record<string, string>, natsSystemPlaces?: string[]): DepsContext => ({
    config: loadStartConfig(env),
    supervisor: new Supervisor({ stdout: () => undefined, stderr: () => undefined }, (_name, line) => line),
    dataDir: '/nonexistent',
    root: '/',
    print: () => undefined,
    natsSystemPlaces,
  });

  it('says what to install and run when no NATS answers and no nats-server is found', async () => {
    await expect(resolveNats(context({ PATH: '', START_NATS_PORT: '1' }, []))).rejects.toThrow(
      'no NATS answers on 127.0.0.1:1 and no nats-server binary was found (PATH, /usr/sbin, NATS_SERVER_BIN). ' +
        'Install NATS Server 2.10+ (Debian: `apt-get install nats-server`; macOS: `brew install nats-server`; ' +
        'or a release from https://github.com/nats-io/nats-server/releases) and run `nats-server -js`, ' +
        'or set NATS_URL to a NATS with JetStream.',
    );
  });

  it('runs without Redis: the gateway then limits on its own', async () => {
    const lines: string[] = [];
    const quiet = context({ START_REDIS_PORT: '1' });
    expect(await resolveRedis({ ...quiet, print: (line) => lines.push(line) })).toBeNull();
    expect(lines).toEqual([
      'rate limits: in the gateway process (no Redis answers on 127.0.0.1:1; optional for one gateway)',
    ]);
    expect(await resolveRedis(context({ RATE_LIMIT_REDIS_URL: 'redis://cache:6380/2' }))).toBe('redis://cache:6380/2');
  });

  it('says what to start when nothing answers at NATS_URL', async () => {
    await expect(resolveNats(context({ NATS_URL: 'nats://127.0.0.1:1' }))).rejects.toThrow(
      'no NATS answers at NATS_URL (127.0.0.1:1). Start it, or unset NATS_URL.',
    );
  });
});

describe('readable logs', () => {
  it('shows a pino line as time, level, message and the other fields, keeping the trace id', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2026-11-22T15:51:45.242Z',
      service: 'gateway',
      pid: 1,
      hostname: 'h',
      msg: 'crawl done',
      crawlId: 'c1',
      trace_id: 't1',
      span_id: 's1',
    });
    expect(prettyLogLine(line)).toBe('15:51:45.242 INFO  crawl done crawlId=c1 trace_id=t1');
  });

  it('leaves any other line as it is', () => {
    expect(prettyLogLine('marketplace-sim listening on 0.0.0.0:3100')).toBe(
      'marketplace-sim listening on 0.0.0.0:3100',
    );
    expect(prettyLogLine('{not json')).toBe('{not json');
  });
});

describe('migrate and healthcheck arguments', () => {
  it('migrates the named services, every service when none is named, and refuses unknown names', () => {
    expect(servicesToMigrate(['ranking'])).toEqual(['ranking']);
    expect(servicesToMigrate([])).toHaveLength(7);
    expect(() => servicesToMigrate(['rankin'])).toThrow('unknown service rankin');
  });

  it('knows what a container runs from its name', () => {
    expect([roleOf('crawler'), roleOf('sim'), roleOf('setup'), roleOf('shell')]).toEqual([
      'crawler',
      'sim',
      'job',
      null,
    ]);
  });
});

describe('ready banner', () => {
  const facts = {
    portOffset: 0,
    otlpEndpoint: null,
    adminKey: { value: 'k', source: 'generated' },
    dashboardBuilt: true,
  };

  it('prints the dashboard URL first, on the gateway port the offset moves', () => {
    const lines = readyBanner(facts).filter((line) => line.startsWith('  '));
    expect(lines[0]).toBe('  dashboard      http://127.0.0.1:3000/ (sign in with an API key)');
    expect(readyBanner({ ...facts, portOffset: 100 })).toContain(
      '  dashboard      http://127.0.0.1:3100/ (sign in with an API key)',
    );
  });

  it('says how to build the dashboard when there is no build to serve', () => {
    expect(readyBanner({ ...facts, dashboardBuilt: false })).toContain(
      '  dashboard      not built: run `npm run build:dashboard`, then reload',
    );
  });
});
