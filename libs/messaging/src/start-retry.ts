import { retry } from '@shelfwatch/resilience';
import { Logger } from 'pino';

/** How long a service keeps retrying its NATS start-up steps before it gives up and exits. */
export const START_RETRY_WINDOW_MS = 120_000;

// What nats.js names a call that failed because the server is restarting, unreachable, or its JetStream is not
// up yet: a request timed out or was cut by the disconnect, nobody answered the JetStream API, or JetStream
// said it is not available.
const TRANSIENT = new Set(['TimeoutError', 'RequestError', 'NoResponders', 'ConnectionError', 'JetStreamNotEnabled']);

/**
 * Whether a NATS or JetStream call failed only because the server is (re)starting or unreachable, so the same
 * call succeeds once it is back. A refused configuration (a JetStream API error other than 503) is not.
 */
export function isTransientNatsError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    if (TRANSIENT.has(current.name)) {
      return true;
    }
    if (current.name === 'JetStreamApiError' && (current as Error & { status?: number }).status === 503) {
      return true;
    }
    current = current.cause;
  }
  return false;
}

/**
 * Runs one start-up step against NATS, retrying with back-off while NATS restarts or is briefly unreachable
 * (a rolling restart of the cluster, a blip while pods start), so the service waits instead of exiting into a
 * crash loop. Any other error, and a transient one after `deadline`, fails the start with that error.
 */
export function untilNatsAnswers<T>(
  step: string,
  call: () => Promise<T>,
  logger: Logger,
  deadline: number,
): Promise<T> {
  const retryable = (error: unknown): boolean => isTransientNatsError(error) && Date.now() < deadline;
  return retry(
    async (attempt) => {
      try {
        return await call();
      } catch (error) {
        if (retryable(error)) {
          logger.warn({ err: error, step, attempt }, 'NATS did not answer while starting; retrying');
        }
        throw error;
      }
    },
    {
      operation: 'messaging.start',
      attempts: Number.MAX_SAFE_INTEGER,
      baseMs: 250,
      maxMs: 2_000,
      isRetryable: retryable,
    },
  );
}
