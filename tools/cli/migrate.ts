import { SERVICE_NAMES } from '@shelfwatch/config';
import { migrateService, serviceDatabaseUrl, serviceRole } from '@shelfwatch/persistence';
import { CliConfig, loadCliConfig } from './cli.config';
import { runCli } from './cli-main';
import { SERVICES } from './services';

/**
 * Applies every service's pending migrations, each as its own role. Outside production it first creates
 * the database, and each service's role (password = role name) and schema, connecting as the operator.
 */
export async function migrateAll(config: CliConfig, print: (line: string) => void): Promise<void> {
  const adminUrl = config.databaseUrl.value.reveal();
  for (const service of SERVICE_NAMES) {
    const role = serviceRole(service);
    const admin = config.nodeEnv !== 'production' ? { url: adminUrl, rolePassword: role } : undefined;
    const report = await migrateService(SERVICES[service].persistence, serviceDatabaseUrl(service, config), admin);
    const applied = report.applied.length > 0 ? `applied ${report.applied.join(', ')}` : 'up to date';
    print(`migrate ${service}: ${applied}`);
  }
}

if (require.main === module) {
  runCli('migrate', () => migrateAll(loadCliConfig(process.env), console.log));
}
