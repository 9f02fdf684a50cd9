import { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { CACHE_STATUS_NAME, CacheUse } from '../caching/answer-cache';
import { GatewayError } from './gateway.errors';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { toProblem } from './problem.mapper';
import { LineBudget, logRequest } from './request-log';
import { AnyRoute } from './route';
import { Outcome, RouteRunner } from './route-runner';

/** Every API route starts with it; the scope is registered under it. */
export const API_PREFIX = '/v1';

/** What the API scope needs. */
export interface ApiPluginOptions {
  routes: readonly AnyRoute[];
  runner: RouteRunner;
  logger: Logger;
  bodyLimitBytes: number;
  /** A request answered later than this is logged at warn (request-log.ts). */
  slowRequestMs: number;
  /** `REQUEST_LOG_LINES_PER_SECOND`: warn and info lines of the request log a second. */
  requestLogLinesPerSecond: number;
}

function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): FastifyReply {
  const mapped = toProblem(error, logger, pathOf(request), request.id);
  if (mapped.retryAfterSeconds !== undefined) {
    reply.header('Retry-After', mapped.retryAfterSeconds);
  }
  return reply.code(mapped.problem.status).type(PROBLEM_CONTENT_TYPE).send(mapped.problem);
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? request.url;
}

/** `Cache-Status` (RFC 9211) of an answer of a `cached` route, by how it was found. */
const CACHE_STATUS: Record<CacheUse, string> = {
  hit: `${CACHE_STATUS_NAME}; hit`,
  miss: `${CACHE_STATUS_NAME}; fwd=uri-miss`,
  collapsed: `${CACHE_STATUS_NAME}; fwd=uri-miss; collapsed`,
  bypass: `${CACHE_STATUS_NAME}; fwd=request`,
};

function sendOutcome(route: AnyRoute, outcome: Outcome, reply: FastifyReply): FastifyReply {
  if (outcome.replayed) {
    reply.header('Idempotent-Replayed', 'true');
  }
  if (outcome.cache) {
    reply.header('Cache-Status', CACHE_STATUS[outcome.cache]);
  }
  reply.code(outcome.status);
  if (outcome.status === 204) {
    return reply.send();
  }
  if (outcome.status >= 400) {
    return reply.type(PROBLEM_CONTENT_TYPE).send(outcome.body);
  }
  if (route.produces === 'text/csv') {
    return reply.type('text/csv; charset=utf-8').send(outcome.body);
  }
  // A cached route's answer is its JSON's bytes already: Fastify sends a Buffer as is.
  return reply.type('application/json; charset=utf-8').send(outcome.body);
}

/**
 * The `/v1` API as one encapsulated Fastify scope (register it with `{ prefix: API_PREFIX }`): only JSON bodies (anything else 415) up to the body
 * limit (413), every error and unknown path as problem+json, each route of the table run by the
 * {@link RouteRunner}, and its own request log (request-log.ts; pino-http leaves `/v1` alone). Nest's own routes (probes, metrics) stay outside and unchanged.
 */
export function apiPlugin(options: ApiPluginOptions) {
  const { routes, runner, logger, bodyLimitBytes, slowRequestMs } = options;
  const requestLog = { logger, slowRequestMs, budget: new LineBudget(options.requestLogLinesPerSecond) };
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async functions
  return async (scope: FastifyInstance): Promise<void> => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: bodyLimitBytes },
      (_req, text, done) => {
        const raw = typeof text === 'string' ? text : text.toString('utf8');
        if (raw.trim() === '') {
          done(null, undefined);
          return;
        }
        try {
          done(null, JSON.parse(raw));
        } catch {
          const error: Partial<FastifyError> & Error = new Error('the body is not valid JSON');
          error.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
          error.statusCode = 400;
          done(error, undefined);
        }
      },
    );
    scope.addHook('onResponse', (request, reply, done) => {
      const { id: reqId, method, headers } = request;
      const { statusCode, elapsedTime: responseTimeMs } = reply;
      logRequest(requestLog, { reqId, method, url: pathOf(request), statusCode, responseTimeMs, headers });
      done();
    });
    scope.setErrorHandler((error, request, reply) => sendProblem(error, request, reply, logger));
    scope.setNotFoundHandler((request, reply) =>
      sendProblem(GatewayError.notFound('route', `${request.method} ${pathOf(request)}`), request, reply, logger),
    );
    for (const route of routes) {
      scope.route({
        method: route.method,
        url: route.path.slice(API_PREFIX.length),
        bodyLimit: bodyLimitBytes,
        handler: async (request, reply) => {
          try {
            return sendOutcome(route, await runner.run(route, request, reply), reply);
          } catch (error) {
            return sendProblem(error, request, reply, logger);
          }
        },
      });
    }
  };
}
