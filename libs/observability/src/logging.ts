import {
  pino,
  stdTimeFunctions,
  type DestinationStream,
  type LevelWithSilent,
  type Logger,
  type LoggerOptions,
} from 'pino';
import { currentTraceIds } from './propagation';

/** What every ShelfWatch logger is configured with. */
export interface LoggerConfig {
  /** `service` on every line. */
  service: string;
  /** Lowest level written (`LOG_LEVEL`). */
  level: LevelWithSilent;
  /** Where lines go; stdout when absent (tests pass an in-memory stream). */
  destination?: DestinationStream;
}

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/** Keys whose value is a secret wherever they appear (at the top of a log object or one or two levels down). */
const SECRET_KEYS = [
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'apiKey',
  'api_key',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
] as const;

/**
 * The pino redaction paths of every ShelfWatch logger: credential headers of requests and responses,
 * and any secret-named key at depth 0 to 2.
 */
export const redactPaths: readonly string[] = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.headers["x-naver-client-secret"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

/**
 * The pino options shared by {@link createLogger} and the HTTP logger of `LoggingModule`: JSON lines with
 * `service`, ISO `time`, the level's name, the active span's `trace_id`/`span_id`, and secrets redacted.
 */
export function loggerOptions(config: Pick<LoggerConfig, 'service' | 'level'>): LoggerOptions {
  return {
    level: config.level,
    base: { service: config.service },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...redactPaths], censor: REDACTED },
    mixin: traceFields,
  };
}

/** A pino logger for code outside Nest's DI (CLIs, preload) or the root of a service's logging. */
export function createLogger(config: LoggerConfig): Logger {
  const options = loggerOptions(config);
  return config.destination ? pino(options, config.destination) : pino(options);
}

/** `trace_id` and `span_id` of the active span, for a log line; empty outside any span. */
export function traceFields(): Record<string, string> {
  const ids = currentTraceIds();
  return ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {};
}
