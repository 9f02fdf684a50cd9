import {
  pino,
  stdTimeFunctions,
  type DestinationStream,
  type LevelWithSilent,
  type Logger,
  type LoggerOptions,
} from 'pino';
import { currentTraceIds } from './propagation';
import { redactSecrets } from './redaction';

/** What every ShelfWatch logger is configured with. */
export interface LoggerConfig {
  /** `service` on every line. */
  service: string;
  /** Lowest level written (`LOG_LEVEL`). */
  level: LevelWithSilent;
  /** Where lines go; stdout when absent (tests pass an in-memory stream). */
  destination?: DestinationStream;
}

/**
 * The pino options shared by {@link createLogger} and the HTTP logger of `LoggingModule`: JSON lines with
 * `service`, ISO `time`, the level's name, the active span's `trace_id`/`span_id`, and secrets redacted.
 *
 * Redaction walks every logged object (`redactSecrets`): pino's own `redact` paths cannot say "this key at
 * any depth". Errors, wherever they appear, are written by `serializeError`, which leaves out the values a
 * database error carries; the `err` serializer only walks what `formatters.log` already serialized. Bindings
 * of child loggers (`logger.child({...})`) are not walked: pass data with each line instead.
 */
export function loggerOptions(config: Pick<LoggerConfig, 'service' | 'level'>): LoggerOptions {
  return {
    level: config.level,
    base: { service: config.service },
    timestamp: stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactSecrets(object) as Record<string, unknown>,
    },
    serializers: { err: redactSecrets },
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
