import { randomUUID } from 'node:crypto';
import { Env } from '@shelfwatch/config';
import { HEALTH_RPC } from '@shelfwatch/contracts';
import { NatsLink } from '@shelfwatch/messaging';
import {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  InstanceHeartbeat,
  heartbeatExpiryMs,
  heartbeatSubject,
} from '@shelfwatch/platform';
import { CheckedRpcClient, TcpProxy, eventually, startTcpProxy } from '@shelfwatch/testing';
import {
  ServiceUnderTest,
  TestEnvironment,
  bootService,
  createTestEnvironment,
  expectHealthyProbes,
} from '../../../libs/platform/test/service-harness';
import { RankingAppModule } from '../../ranking/src/app.module';
import { loadRankingConfig } from '../../ranking/src/ranking.config';
import { rankingPersistence } from '../../ranking/src/ranking.persistence';
import { RetentionAppModule } from '../../retention/src/app.module';
import { loadRetentionConfig } from '../../retention/src/retention.config';
import { retentionPersistence } from '../../retention/src/retention.persistence';
import { HealthAppModule } from '../src/app.module';
import { HealthDetails } from '../src/health-details/health-details.controller';
import { loadHealthConfig } from '../src/health.config';
import { healthPersistence } from '../src/health.persistence';

describe('health service', () => {
  let environment: TestEnvironment;
  /** The health service reaches NATS only through this proxy, so a test can cut NATS for it alone. */
  let natsProxy: TcpProxy;
  /** Likewise for Postgres. */
  let postgresProxy: TcpProxy;
  let health: ServiceUnderTest;
  let ranking: ServiceUnderTest | undefined;
  let retention: ServiceUnderTest;

  const bootRanking = (env: Env): Promise<ServiceUnderTest> =>
    bootService('ranking', loadRankingConfig(env), (config, logger) => RankingAppModule.forConfig(config, logger));

  beforeAll(async () => {
    environment = await createTestEnvironment([healthPersistence, rankingPersistence, retentionPersistence]);
    natsProxy = await startTcpProxy({ host: '127.0.0.1', port: 4222 });
    postgresProxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    const env = environment.env;
    health = await bootService(
      'health',
      loadHealthConfig({
        ...env,
        NATS_URL: `nats://127.0.0.1:${natsProxy.port}`,
        DATABASE_URL: environment.db.adminUrl.replace('127.0.0.1:5432', `127.0.0.1:${postgresProxy.port}`),
        HEALTH_EXPECTED_SERVICES: 'ranking,retention,health',
      }),
      (config, logger) => HealthAppModule.forConfig(config, logger),
    );
    ranking = await bootRanking(env);
    retention = await bootService(
      'retention',
      loadRetentionConfig({ ...env, RETENTION_SWEEP_ENABLED: 'false' }),
      (config, logger) => RetentionAppModule.forConfig(config, logger),
    );
  });

  afterAll(async () => {
    await Promise.allSettled([health?.close(), ranking?.close(), retention?.close()]);
    await natsProxy?.close();
    await postgresProxy?.close();
    await environment?.cleanup();
  });

  async function details(): Promise<{ status: number; body: HealthDetails }> {
    const response = await health.get('/health');
    return { status: response.status, body: JSON.parse(response.body) as HealthDetails };
  }

  function componentOf(body: HealthDetails, name: string): HealthDetails['components'][number] | undefined {
    return body.components.find((component) => component.name === name);
  }

  it('boots with its real module and answers live, ready and metrics', async () => {
    await expectHealthyProbes(health);
  });

  it('is healthy with every component and lists each instance with its version and uptime', async () => {
    const { status, body } = await eventually(async () => {
      const current = await details();
      expect(current.body.status).toBe('healthy');
      return current;
    }, 15_000);
    expect(status).toBe(200);
    expect(body).toMatchObject({ version: expect.any(String), timestamp: expect.any(String) });
    expect(body.components.map((c) => c.name)).toEqual([
      'postgres',
      'nats',
      'jetstream',
      'consumer-lag',
      'dead-letters',
      'crawl-freshness',
      'service:ranking',
      'service:retention',
      'service:health',
    ]);
    expect(componentOf(body, 'postgres')?.latencyMs).toBeGreaterThan(0);
    expect(body.instances.map((i) => i.service).sort()).toEqual(['health', 'ranking', 'retention']);
    expect(body.instances[0]).toMatchObject({ ready: true, version: body.version, uptimeSeconds: expect.any(Number) });
    const rpc = new CheckedRpcClient(environment.nats.nc, environment.nats.topology);
    expect(await rpc.request(HEALTH_RPC.summary, {})).toEqual({ status: 'healthy', timestamp: expect.any(String) });
  });

  /**
   * "Within 15 s" is the verdict's rule, not a stopwatch a loaded machine can break: an instance counts as gone once
   * its heartbeats have stopped for two intervals and a second. The tests below wait for the verdict itself.
   */
  it('judges an instance gone within 15 s of its last heartbeat', () => {
    expect(heartbeatExpiryMs(DEFAULT_HEARTBEAT_INTERVAL_MS)).toBeLessThanOrEqual(15_000);
  });

  it('turns degraded naming a stopped service, and healthy again once it is back', async () => {
    await ranking?.close();
    ranking = undefined;
    const { body } = await eventually(async () => {
      const current = await details();
      expect(current.body.status).toBe('degraded');
      return current;
    }, 60_000);
    // No crawler here: crawl freshness is unknown (no crawl ever completed), which judges nothing.
    expect(body.components.filter((c) => c.status !== 'up' && c.status !== 'unknown')).toEqual([
      { name: 'service:ranking', status: 'degraded', latencyMs: 0, message: 'ranking has no running instance' },
    ]);

    ranking = await bootRanking(environment.env);
    await eventually(async () => expect((await details()).body.status).toBe('healthy'), 30_000);
  }, 120_000);

  /** Cuts one dependency of the health service: 503 unhealthy naming it, then healthy again once restored. */
  async function expectOutageAndRecovery(proxy: TcpProxy, down: 'postgres' | 'nats', up: 'postgres' | 'nats') {
    await proxy.cut();
    try {
      const { status, body } = await eventually(async () => {
        const current = await details();
        expect(current.body.status).toBe('unhealthy');
        return current;
      }, 15_000);
      expect(status).toBe(503);
      expect(componentOf(body, down)).toMatchObject({ status: 'down', message: expect.any(String) });
      expect(componentOf(body, up)?.status).toBe('up');
    } finally {
      await proxy.restore();
    }
    await eventually(async () => expect((await details()).body.status).toBe('healthy'), 20_000);
  }

  it('turns unhealthy (503) while NATS is cut, and healthy again once it is back', async () => {
    await expectOutageAndRecovery(natsProxy, 'nats', 'postgres');
  }, 45_000);

  it('turns unhealthy (503) while Postgres is cut, and healthy again once it is back', async () => {
    await expectOutageAndRecovery(postgresProxy, 'postgres', 'nats');
  }, 45_000);

  it('turns degraded while a dead letter waits, naming where it comes from', async () => {
    const { js, topology } = environment.nats;
    // A crawl result the ranking can never read: parked on the dead-letter stream at its first delivery.
    await js.publish(topology.subject('crawl.completed'), JSON.stringify({ nonsense: true }));
    const { body } = await eventually(async () => {
      const current = await details();
      expect(componentOf(current.body, 'dead-letters')?.status).toBe('degraded');
      return current;
    }, 15_000);
    expect(body.status).toBe('degraded');
    expect(componentOf(body, 'dead-letters')?.message).toBe(
      '1 parked messages, e.g. deadletter.ranking-crawl.crawl.completed',
    );
    expect(componentOf(body, 'crawl-freshness')?.message).toBe('last crawl completed 0 min ago');
  });

  it('ignores a heartbeat that is not JSON and keeps hearing the others', async () => {
    const { nc, topology } = environment.nats;
    nc.publish(topology.subject(heartbeatSubject('ranking')), 'this is not json {');
    const instanceId = randomUUID();
    const now = new Date().toISOString();
    const heartbeat: InstanceHeartbeat = {
      service: 'ranking',
      instanceId,
      version: '0.0.0-test',
      host: 'elsewhere',
      pid: 1,
      startedAt: now,
      uptimeSeconds: 0,
      ready: true,
      problems: [],
      stopping: false,
      intervalMs: 5_000,
      sentAt: now,
    };
    nc.publish(topology.subject(heartbeatSubject('ranking')), JSON.stringify(heartbeat));
    await eventually(async () => {
      const { body } = await details();
      expect(body.instances.map((instance) => instance.instanceId)).toContain(instanceId);
    }, 5_000);
    const rpc = new CheckedRpcClient(nc, topology);
    await expect(rpc.request(HEALTH_RPC.summary, {}, 3_000)).resolves.toMatchObject({ status: expect.any(String) });
  });

  it('names a service whose instance vanished without a goodbye (its heartbeats stop)', async () => {
    // As if the process were killed: its NATS connection is gone and no last heartbeat was sent.
    await retention.app.get(NatsLink).connection.close();
    const { body } = await eventually(async () => {
      const current = await details();
      expect(componentOf(current.body, 'service:retention')?.status).toBe('degraded');
      return current;
    }, 60_000);
    expect(body.status).toBe('degraded');
    expect(componentOf(body, 'service:retention')?.message).toBe('retention has no running instance');
  }, 90_000);
});
