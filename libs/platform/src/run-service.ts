import { DynamicModule, Type } from '@nestjs/common';
import { CommonConfig, ConfigError, Env, ServiceName } from '@shelfwatch/config';
import { createLogger } from '@shelfwatch/observability';
import { Logger } from 'pino';
import { installProcessFaultHandlers } from './process-faults';
import { SHUTDOWN_SIGNALS, createServiceApp, startServiceApp } from './service-app';

/** A service's configuration as far as running it is concerned. */
export type RunnableConfig = CommonConfig & { readonly service: ServiceName };

/** Optional steps of {@link runService}. */
export interface RunServiceHooks<C extends RunnableConfig> {
  /** Runs once the service listens (the gateway prints its generated development admin key here). */
  onListening?: (config: C) => void;
}

/**
 * The whole `main.ts` of a service:
 * 1. parse the configuration from the environment; on a `ConfigError` print it to stderr and exit 1;
 * 2. install the process-level handlers (process-faults.ts): an unhandled rejection is logged with an
 *    `errorId` and the service keeps running; an uncaught exception is logged with one, then exits 1;
 * 3. build the app, start its messaging (relay, then the JetStream transport: consumers and request handlers) and
 *    listen on `0.0.0.0:PORT`, logging one start line without any secret;
 * 4. on SIGTERM/SIGINT close gracefully (Nest's shutdown hooks, exit 0), and exit 1 if that takes longer
 *    than `SHUTDOWN_TIMEOUT_MS`.
 */
export async function runService<C extends RunnableConfig>(
  service: ServiceName,
  loadConfig: (env: Env) => C,
  makeModule: (config: C, logger: Logger) => DynamicModule | Type<unknown>,
  hooks: RunServiceHooks<C> = {},
): Promise<void> {
  const config = configOrExit(service, loadConfig);
  if (!config) {
    return;
  }
  const logger = createLogger({ service, level: config.logLevel });
  installProcessFaultHandlers(logger);
  armShutdownDeadline(config.shutdownTimeoutMs, logger);
  try {
    const app = await createServiceApp(makeModule(config, logger), config, logger);
    await startServiceApp(app);
    await app.listen(config.port, '0.0.0.0');
    logger.info(startLine(config), `${service} listening on port ${config.port}`);
    hooks.onListening?.(config);
  } catch (error) {
    logger.fatal({ err: error }, `${service} failed to start`);
    process.exit(1);
  }
}

function configOrExit<C>(service: ServiceName, loadConfig: (env: Env) => C): C | null {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      throw error;
    }
    process.stderr.write(`${service}: ${error.message}\n`);
    process.exitCode = 1;
    return null;
  }
}

/** What the start line says: enough to tell instances apart, nothing secret (no URL: they carry credentials). */
function startLine(config: RunnableConfig): Record<string, unknown> {
  return {
    port: config.port,
    nodeEnv: config.nodeEnv,
    namespace: config.namespace,
    logLevel: config.logLevel,
    pid: process.pid,
    node: process.version,
  };
}

/** On the first shutdown signal, starts a timer that ends the process with 1 if shutdown hangs. */
function armShutdownDeadline(timeoutMs: number, logger: Logger): void {
  const arm = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs }, 'graceful shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs).unref();
  };
  for (const signal of SHUTDOWN_SIGNALS) {
    process.once(signal, arm);
  }
}
