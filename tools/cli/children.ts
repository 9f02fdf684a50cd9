import { DEFAULT_PORTS, GATEWAY_METRICS_PORT, SERVICE_NAMES, ServiceName } from '@shelfwatch/config';
import { Dependencies } from './local-deps';
import { ChildSpec } from './supervisor';

/** The simulator's default port (docs/architecture.md, "Services and what each owns"). */
export const SIM_PORT = 3100;

/** Services get this long to shut down; the launcher kills what is left after {@link APP_STOP_DEADLINE_MS}. */
export const CHILD_SHUTDOWN_TIMEOUT_MS = 6_000;

/** What a child runs: a service, or the marketplace simulator. */
export type AppName = ServiceName | 'sim';

/** Every application child, in start order. */
export const APPS: readonly AppName[] = ['sim', ...SERVICE_NAMES];

/** What the launcher decided that the children need. */
export interface ChildrenInput {
  deps: Dependencies;
  adminApiKey: string;
  portOffset: number;
  /** The launcher's own environment: passed on, so a user's variables (LOG_LEVEL, CRAWL_*…) still apply. */
  env: NodeJS.ProcessEnv;
  root: string;
}

/** The port `app` listens on under this launcher. */
export function appPort(app: AppName, portOffset: number): number {
  return (app === 'sim' ? SIM_PORT : DEFAULT_PORTS[app]) + portOffset;
}

/** The gateway's internal metrics port (its HTTP port is public and does not serve `/metrics`). */
export function gatewayMetricsPort(portOffset: number): number {
  return GATEWAY_METRICS_PORT + portOffset;
}

/** Where the launcher asks whether `app` is ready. */
export function readinessUrl(app: AppName, portOffset: number): string {
  const base = `http://127.0.0.1:${appPort(app, portOffset)}`;
  return app === 'sim' ? `${base}/_sim/stats` : `${base}/health/ready`;
}

/** How each application child is started (the simulator first: the crawler searches it). */
export function appSpecs(input: ChildrenInput): ChildSpec[] {
  return APPS.map((app) => ({
    name: app,
    command: process.execPath,
    args:
      app === 'sim'
        ? ['dist/tools/marketplace-sim/src/main.js']
        : ['--require', './dist/libs/observability/src/preload.js', `dist/services/${app}/src/main.js`],
    env: childEnv(app, input),
    cwd: input.root,
  }));
}

function childEnv(app: AppName, input: ChildrenInput): NodeJS.ProcessEnv {
  // One PORT for all seven would make six of them fail: each gets its own.
  const { PORT: _port, SIM_PORT: _simPort, ...inherited } = input.env;
  const simUrl = `http://127.0.0.1:${appPort('sim', input.portOffset)}`;
  const tracing: NodeJS.ProcessEnv = input.deps.otlpEndpoint
    ? { OTEL_EXPORTER_OTLP_ENDPOINT: input.deps.otlpEndpoint }
    : { OTEL_SDK_DISABLED: 'true' };
  return {
    // The crawler searches the simulator, which accepts any non-empty credentials, unless told otherwise.
    NAVER_API_BASE_URL: simUrl,
    NAVER_CLIENT_ID: 'local',
    NAVER_CLIENT_SECRET: 'local',
    // eBay too; the simulator's keyset only when eBay is the simulator (a real base URL needs the user's keyset).
    ...(inherited.EBAY_API_BASE_URL === undefined
      ? { EBAY_API_BASE_URL: simUrl, EBAY_CLIENT_ID: 'local', EBAY_CLIENT_SECRET: 'local' }
      : {}),
    RAKUTEN_API_BASE_URL: `${simUrl}/services/api/IchibaItem/Search/20220601`,
    RAKUTEN_APPLICATION_ID: 'local',
    SHUTDOWN_TIMEOUT_MS: String(CHILD_SHUTDOWN_TIMEOUT_MS),
    ...inherited,
    ...tracing,
    DATABASE_URL: input.deps.databaseUrl,
    NATS_URL: input.deps.natsUrl,
    ...(app === 'sim' ? {} : natsUserEnv(app, input.deps.natsPasswords)),
    ...(app === 'sim'
      ? { SIM_PORT: String(appPort('sim', input.portOffset)) }
      : { PORT: String(appPort(app, input.portOffset)) }),
    ...(app === 'gateway'
      ? {
          ADMIN_API_KEY: input.adminApiKey,
          METRICS_PORT: String(gatewayMetricsPort(input.portOffset)),
          ...(input.deps.redisUrl ? { RATE_LIMIT_REDIS_URL: input.deps.redisUrl } : {}),
        }
      : {}),
  };
}

/**
 * `NATS_USER`/`NATS_PASSWORD` of `user` on a NATS with ShelfWatch's users, where only the provisioner may declare
 * streams (so the services do not try at start); nothing on a NATS without them (the user's own variables apply).
 */
export function natsUserEnv(user: string, passwords: Record<string, string> | null): NodeJS.ProcessEnv {
  const password = passwords?.[user];
  return password === undefined ? {} : { NATS_USER: user, NATS_PASSWORD: password, PROVISION_ON_START: 'false' };
}
