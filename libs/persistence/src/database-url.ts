import { CommonConfig, ServiceName } from '@shelfwatch/config';

/** The Postgres role a service connects as; it owns the service's schema and can use nothing else. */
export function serviceRole(service: ServiceName): string {
  return `shelfwatch_${service}`;
}

/** The schema a service owns: its name (docs/architecture.md, "Services and what each owns"). */
export function serviceSchema(service: ServiceName): string {
  return service;
}

/** Same server and database as `url`, another role and password. */
export function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** Same server and credentials as `url`, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Name of the database in a Postgres URL. */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (name === '') {
    throw new Error('DATABASE_URL names no database');
  }
  return name;
}

/**
 * The URL a service connects with. In production `DATABASE_URL` is the service's own role (one secret
 * per service). Outside production `DATABASE_URL` is the operator's URL and the service connects to the
 * same database as its development role, which `npm run migrate` creates with the role name as password.
 */
export function serviceDatabaseUrl(
  service: ServiceName,
  config: Pick<CommonConfig, 'nodeEnv' | 'databaseUrl'>,
): string {
  const url = config.databaseUrl.value.reveal();
  if (config.nodeEnv === 'production') {
    return url;
  }
  return withCredentials(url, serviceRole(service), serviceRole(service));
}
