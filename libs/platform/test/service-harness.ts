import { DynamicModule, Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Env, Secret, ServiceName } from '@shelfwatch/config';
import { createLogger } from '@shelfwatch/observability';
import { ServicePersistence, migrateService, serviceDatabaseUrl, serviceRole } from '@shelfwatch/persistence';
import { TEST_NATS_URL, TestDatabase, TestNats, createTestDatabase, createTestNats } from '@shelfwatch/testing';
import { Logger } from 'pino';
import { RunnableConfig, createServiceApp, startServiceApp } from '@shelfwatch/platform';

/** A database and a NATS namespace of their own, with the given services migrated into the database. */
export interface TestEnvironment {
  db: TestDatabase;
  nats: TestNats;
  /** Environment of a service under test: this database, this namespace, quiet logs. */
  env: Env;
  cleanup(): Promise<void>;
}

/** Creates `sw_t_<random>` and namespace `t<random>`, then migrates each service as in development. */
export async function createTestEnvironment(persistences: ServicePersistence[]): Promise<TestEnvironment> {
  const db = await createTestDatabase();
  const nats = await createTestNats();
  for (const persistence of persistences) {
    await migrateInto(db, persistence);
  }
  const env: Env = {
    NODE_ENV: 'test',
    DATABASE_URL: db.adminUrl,
    NATS_URL: TEST_NATS_URL,
    SHELFWATCH_NAMESPACE: nats.namespace,
    LOG_LEVEL: 'silent',
    // The gateway's internal metrics port: any free one, so parallel test runs never collide.
    METRICS_PORT: '0',
  };
  return {
    db,
    nats,
    env,
    cleanup: async () => {
      await nats.cleanup();
      await db.drop();
    },
  };
}

/** Migrates one more service into a test database, as in development (its own role). */
export async function migrateInto(db: TestDatabase, persistence: ServicePersistence): Promise<void> {
  const role = serviceRole(persistence.service);
  const url = serviceDatabaseUrl(persistence.service, devConfig(db.adminUrl));
  await migrateService(persistence, url, { url: db.adminUrl, rolePassword: role });
}

function devConfig(databaseUrl: string): Parameters<typeof serviceDatabaseUrl>[1] {
  return { nodeEnv: 'test', databaseUrl: { value: new Secret(databaseUrl), generated: false } };
}

/** What an HTTP call to a service under test answered. */
export interface TestResponse {
  status: number;
  contentType: string;
  body: string;
}

/** A service running in this process, answering through Fastify's injection (no socket). */
export interface ServiceUnderTest {
  app: NestFastifyApplication;
  get(path: string, headers?: Record<string, string>): Promise<TestResponse>;
  close(): Promise<void>;
}

/** Boots a service's real module in-process, as `runService` would, without listening. */
export async function bootService<C extends RunnableConfig>(
  service: ServiceName,
  config: C,
  makeModule: (config: C, logger: Logger) => DynamicModule | Type<unknown>,
): Promise<ServiceUnderTest> {
  const logger = createLogger({ service, level: config.logLevel });
  const app = await createServiceApp(makeModule(config, logger), config, logger);
  await startServiceApp(app);
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  return {
    app,
    get: async (path, headers = {}) => {
      const response = await fastify.inject({ method: 'GET', url: path, headers });
      return {
        status: response.statusCode,
        contentType: String(response.headers['content-type']),
        body: response.body,
      };
    },
    close: () => app.close(),
  };
}

/** A service booted in-process inside its own test environment. */
export interface BootedService<C> {
  environment: TestEnvironment;
  config: C;
  sut: ServiceUnderTest;
  /** Closes the app (giving up after `closeTimeoutMs`), then drops the database and the namespace's streams. */
  stop(closeTimeoutMs?: number): Promise<void>;
}

/** Migrates `persistence` into a fresh test environment and boots the service there. */
export async function bootInTestEnvironment<C extends RunnableConfig>(
  persistence: ServicePersistence,
  loadConfig: (env: Env) => C,
  makeModule: (config: C, logger: Logger) => DynamicModule | Type<unknown>,
  envOverrides: (environment: TestEnvironment) => Env = () => ({}),
): Promise<BootedService<C>> {
  const environment = await createTestEnvironment([persistence]);
  try {
    const config = loadConfig({ ...environment.env, ...envOverrides(environment) });
    const sut = await bootService(persistence.service, config, makeModule);
    const stop = async (closeTimeoutMs = 30_000): Promise<void> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, closeTimeoutMs)));
      await Promise.race([sut.close(), timeout]);
      clearTimeout(timer);
      await environment.cleanup();
    };
    return { environment, config, sut, stop };
  } catch (error) {
    await environment.cleanup();
    throw error;
  }
}

/**
 * Asserts what Kubernetes and Prometheus see of a healthy service; `metricsFrom` asks the port that serves
 * `/metrics` (the service's own by default; the gateway's internal one for the gateway).
 */
export async function expectHealthyProbes(
  sut: ServiceUnderTest,
  metricsFrom: (path: string) => Promise<TestResponse> = (path) => sut.get(path),
): Promise<void> {
  const live = await sut.get('/health/live');
  expect({ status: live.status, body: JSON.parse(live.body) as unknown }).toEqual({
    status: 200,
    body: { status: 'ok' },
  });
  const ready = await sut.get('/health/ready');
  expect(ready.status).toBe(200);
  expect(JSON.parse(ready.body)).toMatchObject({
    status: 'ok',
    details: { postgres: { status: 'up' }, nats: { status: 'up' } },
  });
  const metrics = await metricsFrom('/metrics');
  expect(metrics.status).toBe(200);
  expect(metrics.contentType).toContain('text/plain');
  expect(metrics.body).toMatch(/^# HELP process_cpu_user_seconds_total/m);
}
