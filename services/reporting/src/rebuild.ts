import { MikroORM } from '@mikro-orm/postgresql';
import { connect } from '@nats-io/transport-node';
import { ConfigError, natsCredentials } from '@shelfwatch/config';
import { Topology, natsAuthOptions } from '@shelfwatch/messaging';
import { createLogger } from '@shelfwatch/observability';
import { ormOptions, serviceDatabaseUrl } from '@shelfwatch/persistence';
import { rebuildReadModels } from './rebuild/read-models.rebuild';
import { loadReportingConfig } from './reporting.config';
import { reportingPersistence } from './reporting.persistence';

/**
 * `npm run rebuild:reporting`: empties the reporting's read models and replays the TRACKING, CRAWL,
 * RANKING and ALERT streams from the start (same environment as the service; it may keep running).
 */
async function main(): Promise<void> {
  const config = loadReportingConfig(process.env);
  const logger = createLogger({ service: 'reporting-rebuild', level: config.logLevel });
  const orm = await MikroORM.init(ormOptions(reportingPersistence, serviceDatabaseUrl('reporting', config), 4));
  const nc = await connect({
    servers: config.natsUrl.value.reveal(),
    name: 'reporting-rebuild',
    ...natsAuthOptions(natsCredentials('reporting', config)),
  });
  try {
    const report = await rebuildReadModels({ orm, nc, topology: new Topology(config.namespace), logger });
    logger.info(report, `read models rebuilt in ${report.durationMs} ms`);
  } finally {
    await nc.close();
    await orm.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`reporting rebuild failed: ${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
