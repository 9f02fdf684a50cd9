import { backgroundLoopFailuresCounter } from './metrics';

/** Where a loop reports a failed iteration (the service's pino logger, or a child of it). */
export interface LoopLogger {
  error(fields: object, message: string): void;
}

/** Longer pauses after consecutive failures: `min(maxMs, baseMs · 2^min(failures, 10))`. */
export interface LoopBackoff {
  baseMs: number;
  maxMs: number;
}

/** What a {@link BackgroundLoop} runs and how often. */
export interface BackgroundLoopOptions {
  /** Names the loop in its failure log (`<name> failed`) and in the `loop` label of its failure metric. */
  name: string;
  /** Pause between the end of one iteration and the start of the next (iterations never overlap). */
  intervalMs: number;
  /**
   * One iteration. Resolving `true` means more work is waiting: the next iteration starts without a pause
   * (a worker that just finished a job, a relay whose batch was full).
   */
  body: () => Promise<boolean | void>;
  logger: LoopLogger;
  /** Pause after a failed iteration instead of `intervalMs`; without it a failure pauses `intervalMs`. */
  backoff?: LoopBackoff;
  /** Waits one `intervalMs` before the first iteration instead of starting with one. */
  delayFirst?: boolean;
}

/**
 * A periodic task or worker loop run in the background of a service: one iteration at a time, a pause between
 * them, a failed iteration logged as `<name> failed`, counted in `shelfwatch_background_loop_failures_total`
 * and followed by the next one. {@link stop} waits for the iteration in flight.
 */
export class BackgroundLoop {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  /** Ends the current pause when it may be woken ({@link wake}). */
  private interruptPause: (() => void) | null = null;
  /** Ends the current pause, whatever it is ({@link stop}). */
  private stopPause: (() => void) | null = null;

  constructor(private readonly options: BackgroundLoopOptions) {}

  /** Starts iterating (again after a {@link stop}); starting a running loop does nothing. */
  start(): void {
    if (this.running) {
      return;
    }
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Ends a pause now so the next iteration starts at once; `false` when the loop was not pausing. A back-off after
   * a failed iteration is not ended: waking says work is waiting, not that what failed will work now (a relay woken
   * by every commit while NATS is down would otherwise retry at the rate rows are written).
   */
  wake(): boolean {
    const interrupt = this.interruptPause;
    interrupt?.();
    return interrupt !== null;
  }

  /**
   * Ends any pause now, a back-off after a failure included: for a signal that what failed works again (the relay's
   * NATS connection is back), where {@link wake} only says work is waiting. `false` when the loop was not pausing.
   */
  retryNow(): boolean {
    const end = this.stopPause;
    end?.();
    return end !== null;
  }

  /** Starts no further iteration and resolves once the one in flight, if any, has finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopPause?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { name, intervalMs, body, logger, backoff } = this.options;
    let failures = 0;
    if (this.options.delayFirst) {
      await this.pause(intervalMs);
    }
    while (this.running) {
      try {
        const more = await body();
        failures = 0;
        if (more !== true) {
          await this.pause(intervalMs);
        }
      } catch (error) {
        failures += 1;
        backgroundLoopFailuresCounter().inc({ loop: name });
        const delayMs = backoff ? Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(failures, 10)) : intervalMs;
        logger.error({ err: error, delayMs }, `${name} failed`);
        await this.pause(delayMs, false);
      }
    }
  }

  /** Sleeps `ms` unless stopped or, when `wakeable`, woken; the timer never keeps the process alive on its own. */
  private pause(ms: number, wakeable = true): Promise<void> {
    if (!this.running) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.interruptPause = null;
        this.stopPause = null;
        resolve();
      };
      const timer = setTimeout(end, ms);
      timer.unref();
      this.interruptPause = wakeable ? end : null;
      this.stopPause = end;
    });
  }
}
