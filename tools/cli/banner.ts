import { appPort, gatewayMetricsPort } from './children';

/** What the ready banner of `npm start` tells. */
export interface BannerFacts {
  portOffset: number;
  /** Where traces go, or null when they are off. */
  otlpEndpoint: string | null;
  adminKey: { value: string; source: string };
  /** Whether `dist/dashboard` holds a build (the gateway serves it at `/` only then). */
  dashboardBuilt: boolean;
}

/**
 * The lines `npm start` prints once every service is ready: the dashboard first, as it is what a newcomer opens,
 * then the API, its docs, health, metrics, the simulator, traces and the admin key.
 */
export function readyBanner(facts: BannerFacts): string[] {
  const url = (app: Parameters<typeof appPort>[0], path: string): string =>
    `http://127.0.0.1:${appPort(app, facts.portOffset)}${path}`;
  const dashboard = facts.dashboardBuilt
    ? `${url('gateway', '/')} (sign in with an API key)`
    : 'not built: run `npm run build:dashboard`, then reload';
  return [
    '',
    'ShelfWatch is running. Ctrl-C stops everything.',
    `  dashboard      ${dashboard}`,
    `  REST API       ${url('gateway', '/v1')}`,
    `  API docs       ${url('gateway', '/docs')}`,
    `  health         ${url('health', '/health')}`,
    `  metrics        http://127.0.0.1:${gatewayMetricsPort(facts.portOffset)}/metrics (gateway, internal port; the other services serve /metrics on their own port)`,
    `  simulator      ${url('sim', '/_sim/stats')}`,
    `  traces         ${facts.otlpEndpoint ? `sent to ${facts.otlpEndpoint} (Jaeger UI: http://127.0.0.1:16686)` : 'off'}`,
    `  admin API key  ${facts.adminKey.value} (${facts.adminKey.source})`,
    '',
  ];
}
