import { randomUUID } from 'node:crypto';
import { Logger } from 'pino';

/** The process-level last resorts of a service, as functions (so they can be tested without a process). */
export interface ProcessFaultHandlers {
  onUnhandledRejection(reason: unknown): void;
  onUncaughtException(error: Error, origin: NodeJS.UncaughtExceptionOrigin): void;
}

/**
 * What a service does with an error nothing else handled; each is logged with an `errorId` to quote.
 * - A rejected promise nobody awaited: logged, and the process keeps running. The code that rejected has
 *   already unwound through its own `try`/`finally`, so the process state is as sound as after a caught
 *   error, and one forgotten `catch` must not take every tenant's requests down with it.
 * - An uncaught exception: logged as fatal, then the process exits 1. Node's guidance is that after
 *   `uncaughtException` the state is unknown (a synchronous throw may have left work half done), so it is
 *   not safe to resume; the supervisor (the launcher, Kubernetes) starts a clean process.
 */
export function processFaultHandlers(logger: Logger, exit: (code: number) => void): ProcessFaultHandlers {
  return {
    onUnhandledRejection: (reason) => {
      logger.error({ err: reason, errorId: randomUUID() }, 'unhandled promise rejection; the process keeps running');
    },
    onUncaughtException: (error, origin) => {
      // pino writes to stdout synchronously: the line is out before the process ends.
      logger.fatal({ err: error, errorId: randomUUID(), origin }, 'uncaught exception; exiting to be restarted');
      exit(1);
    },
  };
}

/** Installs {@link processFaultHandlers} on this process (once per service, by `runService`). */
export function installProcessFaultHandlers(logger: Logger): void {
  const handlers = processFaultHandlers(logger, (code) => process.exit(code));
  process.on('unhandledRejection', handlers.onUnhandledRejection);
  process.on('uncaughtException', handlers.onUncaughtException);
}
