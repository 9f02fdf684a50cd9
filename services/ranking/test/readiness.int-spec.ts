import { eventually } from '@shelfwatch/testing';
import { withDatabase } from '@shelfwatch/persistence';
import { TcpProxy, startTcpProxy } from '../../../libs/testing/src/tcp-proxy';
import { BootedService, ServiceUnderTest, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { RankingAppModule } from '../src/app.module';
import { RankingConfig, loadRankingConfig } from '../src/ranking.config';
import { rankingPersistence } from '../src/ranking.persistence';

async function readiness(sut: ServiceUnderTest): Promise<{ status: number; down: string[] }> {
  const response = await sut.get('/health/ready');
  const body = JSON.parse(response.body) as { error?: Record<string, unknown> };
  return { status: response.status, down: Object.keys(body.error ?? {}) };
}

/** The `shelfwatch_ready` gauge on the service's /metrics: the verdict of its last readiness probe. */
async function readyGauge(sut: ServiceUnderTest): Promise<string | undefined> {
  return /^shelfwatch_ready (\d+)$/m.exec((await sut.get('/metrics')).body)?.[1];
}

async function expectLive(sut: ServiceUnderTest): Promise<void> {
  expect((await sut.get('/health/live')).status).toBe(200);
}

describe('ranking readiness while a dependency is unreachable', () => {
  let postgres: TcpProxy;
  let nats: TcpProxy;
  let booted: BootedService<RankingConfig>;

  beforeAll(async () => {
    postgres = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    nats = await startTcpProxy({ host: '127.0.0.1', port: 4222 });
    booted = await bootInTestEnvironment(rankingPersistence, loadRankingConfig, RankingAppModule.forConfig, (env) => ({
      DATABASE_URL: withDatabase(`postgres://postgres@127.0.0.1:${postgres.port}/postgres`, env.db.name),
      NATS_URL: `nats://127.0.0.1:${nats.port}`,
    }));
  });

  afterAll(async () => {
    await postgres.restore();
    await nats.restore();
    // Bounded: after a Postgres drop the outbox relay leaks a pool client (a transaction whose BEGIN failed,
    // outbox-relay.ts `run`), and MikroORM's close then waits for it forever. Reported to libs/messaging.
    await booted?.stop(5_000);
    await Promise.all([postgres?.close(), nats?.close()]);
  });

  it('is ready through the proxies', async () => {
    expect(await readiness(booted.sut)).toEqual({ status: 200, down: [] });
  });

  it('answers 503 naming postgres while Postgres is cut, and 200 again once it is back', async () => {
    await postgres.cut();
    await eventually(async () => expect(await readiness(booted.sut)).toEqual({ status: 503, down: ['postgres'] }));
    expect(await readyGauge(booted.sut)).toBe('0');
    await expectLive(booted.sut);
    await postgres.restore();
    await eventually(async () => expect(await readiness(booted.sut)).toEqual({ status: 200, down: [] }));
    expect(await readyGauge(booted.sut)).toBe('1');
  });

  it('answers 503 naming nats while NATS is cut, and 200 again once it is back', async () => {
    await nats.cut();
    await eventually(async () => expect(await readiness(booted.sut)).toEqual({ status: 503, down: ['nats'] }));
    await expectLive(booted.sut);
    await nats.restore();
    await eventually(async () => expect(await readiness(booted.sut)).toEqual({ status: 200, down: [] }), 15_000);
  });
});
