import Fastify from 'fastify';
import { Catalogue } from './catalogue';
import { registerControlRoutes } from './control.routes';
import { registerEbayRoutes } from './ebay.route';
import { registerRakutenRoutes } from './rakuten.route';
import { registerSearchRoutes } from './search.route';
import { SimClock, SimulatorControl, SYSTEM_CLOCK } from './simulator-control';

/** How to start a simulator. */
export interface SimulatorOptions {
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** The catalogue seed: the same seed serves the same shelves. */
  readonly seed: number;
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** Real-time source; tests may inject one. Default: Date.now and performance.now. */
  readonly clock?: SimClock;
  /** Generated pools and shelves kept in memory (each LRU); default 512. */
  readonly cacheSize?: number;
  /** Log each request with Fastify's logger (pino); off by default because benchmarks go through it. */
  readonly logRequests?: boolean;
  /** Record every served search answer (`GET /_sim/served`, `control.served`); off by default. */
  readonly recordServed?: boolean;
}

/** A running simulator. */
export interface RunningSimulator {
  /** Base URL to give the Naver adapter, e.g. `http://127.0.0.1:3100`. */
  readonly url: string;
  readonly port: number;
  /** Faults, clock, statistics and ground truth, the same state the `/_sim` endpoints drive. */
  readonly control: SimulatorControl;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Starts the marketplace simulator's HTTP server and resolves once it listens. */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const control = new SimulatorControl(
    options.seed,
    new Catalogue(options.seed, options.cacheSize),
    options.clock ?? SYSTEM_CLOCK,
  );
  control.served.enable(options.recordServed ?? false);
  // Close keep-alive connections on shutdown, or a test's HTTP agent would hold the server open.
  const app = Fastify({ logger: options.logRequests ?? false, forceCloseConnections: true });
  registerSearchRoutes(app, control);
  registerControlRoutes(app, control);
  registerEbayRoutes(app, control);
  registerRakutenRoutes(app, control);
  await app.listen({ port: options.port, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}:${port}`,
    port,
    control,
    close: () => app.close(),
  };
}
