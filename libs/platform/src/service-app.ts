import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { CommonConfig } from '@shelfwatch/config';
import { connectJetStreamTransport } from '@shelfwatch/messaging';
import { registerHttpTracing } from '@shelfwatch/observability';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { Logger } from 'pino';

/** Signals that start a graceful shutdown. */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Builds a service's hybrid Nest application on Fastify (HTTP for probes and routes, the JetStream transport for
 * its `@EventPattern` / `@MessagePattern` handlers), not yet started (see {@link startServiceApp}): every request traced
 * (the hook is on the Fastify instance before Nest's middleware, so request logs carry the trace id), Nest's
 * own logs through nestjs-pino, and shutdown hooks on SIGTERM/SIGINT that close the app (readiness 503,
 * consumers stopped, relay stopped, NATS drained, ORM closed) and then exit 0.
 */
export async function createServiceApp(
  module: DynamicModule | Type<unknown>,
  config: Pick<CommonConfig, 'nodeEnv'> & { readonly trustedProxies?: readonly string[] },
  logger: Logger,
): Promise<NestFastifyApplication> {
  // forceCloseConnections: idle keep-alive connections must not hold the server open during shutdown.
  // X-Forwarded-For is believed only from the listed proxies (the gateway's TRUSTED_PROXIES), never by default.
  const trustedProxies = config.trustedProxies ?? [];
  const adapter = new FastifyAdapter({
    forceCloseConnections: true,
    trustProxy: trustedProxies.length > 0 ? [...trustedProxies] : false,
  });
  registerHttpTracing(adapter.getInstance());
  adapter.getInstance().addHook('onClose', (_instance, done) => {
    logger.info('HTTP server closed');
    done();
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(NestPinoLogger));
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS], { useProcessExit: true });
  connectJetStreamTransport(app);
  return app;
}

/**
 * Starts a service built by {@link createServiceApp} without listening on HTTP: bootstraps it (streams, outbox
 * relay), then starts the JetStream transport (its consumers pull, its request handlers answer).
 */
export async function startServiceApp(app: NestFastifyApplication): Promise<void> {
  await app.init();
  await app.startAllMicroservices();
}
