import { randomUUID } from 'node:crypto';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { EventEnvelope, STREAMS } from '@shelfwatch/contracts';
import { RpcClient } from '@shelfwatch/messaging';
import { CheckedRpcClient, eventually } from '@shelfwatch/testing';
import { Env } from '@shelfwatch/config';
import {
  BootedService,
  ServiceUnderTest,
  bootInTestEnvironment,
  bootService,
  migrateInto,
} from '../../../../libs/platform/test/service-harness';
import { RetentionAppModule } from '../../../retention/src/app.module';
import { loadRetentionConfig } from '../../../retention/src/retention.config';
import { retentionPersistence } from '../../../retention/src/retention.persistence';
import { ReportingAppModule } from '../../src/app.module';
import { ReportingConfig, loadReportingConfig } from '../../src/reporting.config';
import { reportingPersistence } from '../../src/reporting.persistence';

/** The reporting booted in its own database and namespace, with a client on that namespace. */
export interface ReportingUnderTest {
  booted: BootedService<ReportingConfig>;
  rpc: RpcClient;
  orm: MikroORM;
  em(): EntityManager;
}

export async function bootReporting(env: Record<string, string> = {}): Promise<ReportingUnderTest> {
  const booted = await bootInTestEnvironment(
    reportingPersistence,
    loadReportingConfig,
    (config, logger) => ReportingAppModule.forConfig(config, logger),
    () => env,
  );
  const { nc, topology } = booted.environment.nats;
  const orm = booted.sut.app.get<MikroORM>(MikroORM);
  return { booted, rpc: new CheckedRpcClient(nc, topology), orm, em: () => orm.em.fork() };
}

/**
 * The retention service beside the reporting (same database and namespace, its sweep off): the reporting
 * asks it for the policy of the moment before it purges anything. `env` sets the platform defaults.
 */
export async function bootRetentionBeside(sut: ReportingUnderTest, env: Env = {}): Promise<ServiceUnderTest> {
  const { environment } = sut.booted;
  await migrateInto(environment.db, retentionPersistence);
  const config = loadRetentionConfig({ ...environment.env, RETENTION_SWEEP_ENABLED: 'false', ...env });
  return bootService('retention', config, (retentionConfig, logger) =>
    RetentionAppModule.forConfig(retentionConfig, logger),
  );
}

/** Publishes an event on its subject; `msgID` defaults to the event id (as the relay does). */
export async function publish(sut: ReportingUnderTest, event: EventEnvelope, msgID = event.id): Promise<void> {
  const nats = sut.booted.environment.nats;
  await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID });
}

/** Publishes each event, and a tenth of them a second time under another message id (the inbox's case). */
export async function publishAll(sut: ReportingUnderTest, events: readonly EventEnvelope[]): Promise<void> {
  for (const [index, event] of events.entries()) {
    await publish(sut, event);
    if (index % 10 === 3) {
      await publish(sut, event, randomUUID());
    }
  }
}

const STREAMS_READ = [STREAMS.TRACKING, STREAMS.CRAWL, STREAMS.RANKING, STREAMS.ALERT];

/** Waits until every reporting consumer has acknowledged everything published so far. */
export async function drained(sut: ReportingUnderTest, timeoutMs = 30_000): Promise<void> {
  const nats = sut.booted.environment.nats;
  await eventually(async () => {
    for (const stream of STREAMS_READ) {
      const durable = `reporting-${stream.name.toLowerCase()}`;
      const info = await nats.jsm.consumers.info(nats.topology.streamName(stream), durable);
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    }
  }, timeoutMs);
}

/** Every cache version of a tenant, `scope=version`. */
export async function cacheVersions(em: EntityManager, tenantId: string): Promise<string[]> {
  const rows = await em.execute<{ scope: string; version: string }[]>(
    'select scope, version from reporting.cache_versions where tenant_id = ? order by scope',
    [tenantId],
  );
  return rows.map((r) => `${r.scope}=${r.version}`);
}
