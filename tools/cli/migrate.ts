import { SERVICE_NAMES, ServiceName } from '@shelfwatch/config';
import { migrateService, serviceDatabaseUrl, serviceRole } from '@shelfwatch/persistence';
import { CliConfig, loadCliConfig } from './cli.config';
import { runCli } from './cli-main';
import { SERVICES } from './services';

/**
 * Applies every service's pending migrations, each as its own role. Outside production it first creates
 * the database, and each service's role (password = role name) and schema, connecting as the operator.
 * In production `DATABASE_URL` is one service's own role: name that service (a Kubernetes Job runs one
 * container per service, each with its service's secret).
 */
export async function migrateAll(
  config: CliConfig,
  print: (line: string) => void,
  services: readonly ServiceName[] = SERVICE_NAMES,
): Promise<void> {
  const adminUrl = config.databaseUrl.value.reveal();
  for (const service of services) {
    const role = serviceRole(service);
    const admin = config.nodeEnv !== 'production' ? { url: adminUrl, rolePassword: role } : undefined;
    const report = await migrateService(SERVICES[service].persistence, serviceDatabaseUrl(service, config), admin);
    const applied = report.applied.length > 0 ? `applied ${report.applied.join(', ')}` : 'up to date';
    print(`migrate ${service}: ${applied}`);
  }
}

function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** The services named on the command line (`migrate.js ranking crawler`); every service when none is. */
export function servicesToMigrate(args: readonly string[]): ServiceName[] {
  const services = args.filter(isServiceName);
  if (services.length < args.length) {
    const unknown = args.filter((arg) => !isServiceName(arg));
    throw new Error(`unknown service ${unknown.join(', ')}; expected some of ${SERVICE_NAMES.join(', ')}`);
  }
  return services.length > 0 ? services : [...SERVICE_NAMES];
}

if (require.main === module) {
  runCli('migrate', () =>
    migrateAll(loadCliConfig(process.env), console.log, servicesToMigrate(process.argv.slice(2))),
  );
}
