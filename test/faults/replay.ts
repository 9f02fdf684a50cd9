import { MikroORM } from '@mikro-orm/postgresql';
import { NatsConnection } from '@nats-io/transport-node';
import { Topology } from '@shelfwatch/messaging';
import { createLogger } from '@shelfwatch/observability';
import { ormOptions } from '@shelfwatch/persistence';
import { isDeepStrictEqual } from 'node:util';
import { rebuildReadModels } from '../../services/reporting/src/rebuild/read-models.rebuild';
import { reportingPersistence } from '../../services/reporting/src/reporting.persistence';
import { dumpReadModels } from '../../services/reporting/test/support/read-model-dump';
import { Finding, finding } from './finding';

/**
 * The reporting read models the faulted run left behind must equal a clean replay of the streams: dump
 * the tenant's read models, rebuild them from the streams (truncate + replay), dump again, compare.
 * Minimum: `completedCrawls` events replayed (each completed crawl leaves several).
 */
export async function projectionsMatchReplay(
  databaseUrl: string,
  nc: NatsConnection,
  topology: Topology,
  tenantId: string,
  completedCrawls: number,
): Promise<Finding> {
  const orm = await MikroORM.init(ormOptions(reportingPersistence, databaseUrl, 4));
  try {
    const before = await dumpReadModels(orm.em.fork(), tenantId);
    const logger = createLogger({ service: 'faults-replay', level: 'silent' });
    const report = await rebuildReadModels({ orm, nc, topology, logger });
    const after = await dumpReadModels(orm.em.fork(), tenantId);
    const differing = Object.keys(before).filter(
      (model) => !isDeepStrictEqual(before[model as keyof typeof before], after[model as keyof typeof after]),
    );
    const replayed = report.streams.reduce((sum, stream) => sum + stream.applied, 0);
    return finding(
      'reporting read models equal a clean replay of the streams',
      completedCrawls,
      replayed,
      differing.map((model) => `${model} differs`),
      `${replayed} events replayed`,
    );
  } finally {
    await orm.close(true);
  }
}
