import { freePorts } from '@shelfwatch/testing';
import { TestEnvironment, createTestEnvironment } from '../../../libs/platform/test/service-harness';
import { SpawnedService, spawnBuiltService } from '../../../libs/platform/test/spawn-service';
import { gatewayPersistence } from '../src/gateway.persistence';

// Runs the BUILT service (`npm run build` first), as `npm run start:gateway` does.

const DB_CANARY = 'pw_canary_db_7f3a';
const KEY_CANARY = 'sw_canary_key';

describe('gateway process', () => {
  it('refuses to start in production without DATABASE_URL and names it', async () => {
    const spawned = spawnBuiltService('gateway', { NODE_ENV: 'production', NATS_URL: 'nats://127.0.0.1:4222' });
    const { code } = await spawned.exited;
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(spawned.stderr.join('\n')).toContain('DATABASE_URL');
  });

  describe('running in development', () => {
    let environment: TestEnvironment;
    let spawned: SpawnedService;
    let base: string;
    let internal: string;

    beforeAll(async () => {
      environment = await createTestEnvironment([gatewayPersistence]);
      const [port, metricsPort] = await freePorts(2);
      base = `http://127.0.0.1:${port}`;
      internal = `http://127.0.0.1:${metricsPort}`;
      const databaseUrl = new URL(environment.env.DATABASE_URL ?? '');
      databaseUrl.password = DB_CANARY;
      spawned = spawnBuiltService('gateway', {
        ...environment.env,
        NODE_ENV: 'development',
        DATABASE_URL: databaseUrl.toString(),
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        LOG_LEVEL: 'debug',
        // The service's own deadline: a shutdown taking longer ends the process with 1.
        SHUTDOWN_TIMEOUT_MS: '10000',
      });
      await spawned.waitForLine(/listening on port/);
    });

    afterAll(async () => {
      if (spawned.child.exitCode === null) {
        spawned.child.kill('SIGKILL');
      }
      await environment?.cleanup();
    });

    it('prints the generated admin key once, on stdout, outside the JSON log', async () => {
      // Printed right after the listening line: wait for it rather than race it.
      await spawned.waitForLine(/ADMIN_API_KEY/);
      const lines = spawned.stdout.filter((line) => line.includes('ADMIN_API_KEY'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^ADMIN_API_KEY \(generated for this development run\): [\w-]{32}$/);
    });

    it('is ready, and keeps credentials of requests and of its config out of every log line', async () => {
      const headers = { authorization: `Bearer ${KEY_CANARY}` };
      expect((await fetch(`${base}/health/ready`, { headers })).status).toBe(200);
      expect((await fetch(`${base}/v1/does-not-exist?probe=1`, { headers })).status).toBe(404);
      await spawned.waitForLine(/does-not-exist/);
      const output = [...spawned.stdout, ...spawned.stderr];
      expect(output.filter((line) => line.includes(DB_CANARY) || line.includes(KEY_CANARY))).toEqual([]);
      expect(output.some((line) => line.includes('"authorization":"[REDACTED]"'))).toBe(true);
    });

    // pino-http leaves /v1 alone (no child logger per request): the API scope's own line, at debug, is the only one.
    it('logs an API request once, by the API scope: its id, path without the query, status and time', async () => {
      await fetch(`${base}/docs-json`);
      await fetch(`${base}/v1/no-such-route?token=t0ps3cret`);
      // Lines are written in order: once the next request's line is out, any other line of the first one is too.
      await fetch(`${base}/v1/next-route`);
      await spawned.waitForLine(/next-route/);
      const lines = spawned.stdout.filter((line) => line.includes('no-such-route'));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
        level: 'debug',
        msg: 'request completed',
        reqId: expect.any(String),
        method: 'GET',
        url: '/v1/no-such-route',
        statusCode: 404,
        responseTime: expect.any(Number),
      });
      expect(lines[0]).not.toContain('t0ps3cret');
      // Outside /v1, pino-http's line as before.
      expect(spawned.stdout.some((line) => line.includes('"url":"/docs-json"') && line.includes('"req":'))).toBe(true);
    });

    it('serves /metrics on the internal port only: the public port answers 404', async () => {
      const outside = await fetch(`${base}/metrics`);
      expect(outside.status).toBe(404);
      expect(await outside.text()).not.toContain('process_cpu_user_seconds_total');
      const inside = await fetch(`${internal}/metrics`);
      expect(inside.status).toBe(200);
      expect(await inside.text()).toMatch(/^# HELP process_cpu_user_seconds_total/m);
      expect((await fetch(`${internal}/v1/tenant`)).status).toBe(404);
    });

    // Timed by the service's own SHUTDOWN_TIMEOUT_MS, not by a stopwatch a loaded machine can break: past it, code 1.
    it('exits 0 within 10 s of SIGTERM', async () => {
      spawned.child.kill('SIGTERM');
      const { code, signal } = await spawned.exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(spawned.stderr.concat(spawned.stdout).filter((line) => line.includes('shutdown timed out'))).toEqual([]);
    });
  });
});
