import type { IncomingMessage } from 'node:http';
import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { serverSpanIds } from './http-tracing';
import { loggerOptions, type LoggerConfig } from './logging';
import { isSecretKey, REDACTED, redactSecrets } from './redaction';

/**
 * Every route. nestjs-pino's default (`{/*splat}`) matches nothing on Nest 12.5 + Fastify in an app without a
 * global prefix, so that no request would be logged; `{*splat}` matches with and without one.
 */
const ALL_ROUTES = { path: '{*splat}', method: RequestMethod.ALL };

/** What `LoggingModule` is configured with besides the logger's own options. */
export interface RequestLogConfig extends LoggerConfig {
  /**
   * Path prefixes (`/v1`) pino-http leaves alone, no child logger and no request line: the service logs their
   * requests itself, on a hot path where a child logger per request costs (the gateway's API scope).
   */
  selfLoggedPrefixes?: readonly string[];
}

/** Paths whose requests are not logged one by one: probes and scrapes would drown everything else. */
const QUIET_PATHS = /^\/(health\/[^?]*|metrics)(\?|$)/;

/**
 * Nest logging for a service: nestjs-pino with the options of `createLogger` (JSON, `service`, trace ids,
 * redaction), one line per HTTP request except `/health/*`, `/metrics` and the `selfLoggedPrefixes`. In `main.ts`:
 * `NestFactory.create(AppModule, adapter, { bufferLogs: true })` then `app.useLogger(app.get(Logger))`.
 */
@Module({})
export class LoggingModule {
  /** The module for `config.service`, logging at `config.level`. */
  static forRoot(config: RequestLogConfig): DynamicModule {
    const base = loggerOptions(config);
    const options: Options = {
      ...base,
      // pino-http hands these its standard serialization of the request and the response.
      serializers: { ...base.serializers, req: redactRequest, res: redactSecrets },
      autoLogging: { ignore: isQuiet },
      customProps: requestTraceFields,
    };
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: config.destination ? [options, config.destination] : options,
          forRoutes: [ALL_ROUTES],
          exclude: (config.selfLoggedPrefixes ?? []).map((prefix) => ({
            path: `${prefix}{/*splat}`,
            method: RequestMethod.ALL,
          })),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}

/** Whether a request is a probe or a scrape. Middie strips the mount path from `url`; `originalUrl` keeps it. */
function isQuiet(req: IncomingMessage & { originalUrl?: string }): boolean {
  return QUIET_PATHS.test(req.originalUrl ?? req.url ?? '');
}

/**
 * A serialized request with every credential header (`authorization`, `cookie`, `x-api-key`, …) and
 * every secret-named query parameter (`?token=`, `?api_key=`) redacted.
 */
function redactRequest(req: { url?: unknown }): unknown {
  return redactSecrets(typeof req.url === 'string' ? { ...req, url: redactQuery(req.url) } : req);
}

function redactQuery(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) {
    return url;
  }
  const query = new URLSearchParams(url.slice(queryStart + 1));
  const secretNames = [...query.keys()].filter(isSecretKey);
  if (secretNames.length === 0) {
    return url;
  }
  for (const name of secretNames) {
    query.set(name, REDACTED);
  }
  return `${url.slice(0, queryStart)}?${query.toString()}`;
}

/**
 * Trace ids of the request's SERVER span for pino-http's own lines, when no span is active: the mixin
 * already adds them otherwise, and a key written twice would appear twice in the JSON line.
 */
function requestTraceFields(req: IncomingMessage): Record<string, string> {
  if (trace.getActiveSpan()) {
    return {};
  }
  const ids = serverSpanIds(req);
  return ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {};
}
