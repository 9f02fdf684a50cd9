import cors from '@fastify/cors';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { Logger } from 'pino';
import { registerDashboard, registerDocs } from '../docs/docs.plugin';
import { registerHttpMetrics } from './http-metrics';
import { registerPlatformHealth } from './platform-health';
import { Downstream } from '../downstream/downstream';
import { registerAsyncApi } from '../docs/asyncapi.plugin';
import { buildOpenApi } from '../docs/openapi';
import { API_PREFIX, apiPlugin } from './api.plugin';
import { ApiRoutes } from './api-routes';
import { RouteRunner } from './route-runner';

/** What the HTTP edge is configured with. */
export interface HttpEdgeOptions {
  corsOrigins: readonly string[];
  bodyLimitBytes: number;
  /** `SLOW_REQUEST_MS`: an API request answered later is logged at warn. */
  slowRequestMs: number;
  /** `REQUEST_LOG_LINES_PER_SECOND`: warn and info lines of the request log a second. */
  requestLogLinesPerSecond: number;
  logger: Logger;
  version: string;
}

export const HTTP_EDGE_OPTIONS = Symbol('HTTP_EDGE_OPTIONS');

/** Headers a browser client may send and read. */
const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'Cache-Control'];
const CORS_EXPOSED_HEADERS = ['RateLimit-Policy', 'RateLimit', 'Retry-After', 'Idempotent-Replayed', 'Cache-Status'];

/**
 * Puts the API on the service's Fastify instance before it starts: latency metrics, security headers and CORS
 * (allow-list from `CORS_ORIGINS`) on every response, the `/v1` scope of the route table, `/docs` and `/docs-json`,
 * the platform's verdict at `/health` (for the dashboard's banner), and the dashboard at `/` once it is built.
 */
@Injectable()
export class GatewayHttp implements OnModuleInit {
  private readonly served: { method: string; url: string }[] = [];

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly routes: ApiRoutes,
    private readonly runner: RouteRunner,
    private readonly downstream: Downstream,
    @Inject(HTTP_EDGE_OPTIONS) private readonly options: HttpEdgeOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    const instance = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const { corsOrigins, bodyLimitBytes, slowRequestMs, requestLogLinesPerSecond, logger, version } = this.options;
    instance.addHook('onRoute', (options) => {
      for (const method of [options.method].flat()) {
        this.served.push({ method, url: options.url });
      }
    });
    registerHttpMetrics(instance);
    // Helmet's default security headers on every answer. Its middleware is built once: `@fastify/helmet` built it
    // again on every request (and parsed the CSP directives each time), 2.7 % of the gateway's CPU on a busy route.
    const securityHeaders = helmet();
    instance.addHook('onRequest', (request, reply, done) => {
      securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error instanceof Error ? error : undefined));
    });
    await instance.register(cors, {
      origin: (origin, callback) => callback(null, origin !== undefined && corsOrigins.includes(origin)),
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: CORS_ALLOWED_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      maxAge: 600,
    });
    const api = apiPlugin({
      routes: this.routes.all,
      runner: this.runner,
      logger,
      bodyLimitBytes,
      slowRequestMs,
      requestLogLinesPerSecond,
    });
    await instance.register(api, { prefix: API_PREFIX });
    await registerDocs(instance, buildOpenApi(this.routes.all, version));
    registerAsyncApi(instance, version);
    registerPlatformHealth(instance, this.downstream);
    await registerDashboard(instance);
  }

  /** Every route registered through this edge (API, docs, dashboard), as Fastify saw it. */
  servedRoutes(): readonly { method: string; url: string }[] {
    return this.served;
  }
}
