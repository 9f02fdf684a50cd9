/** Gives back a slot taken with {@link Semaphore.acquire}; calling it twice is harmless. */
export type Release = () => void;

interface Waiter {
  grant: (release: Release) => void;
}

/** A FIFO counting semaphore: at most `permits` holders at once (per-marketplace concurrency cap). */
export class Semaphore {
  private available: number;
  private readonly waiters: Waiter[] = [];

  constructor(readonly permits: number) {
    if (!Number.isInteger(permits) || permits < 1) {
      throw new RangeError('Semaphore permits must be a positive integer');
    }
    this.available = permits;
  }

  /** Slots currently held. */
  get inUse(): number {
    return this.permits - this.available;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Waits for a slot, first come first served.
   * @param signal stops waiting (the promise rejects with its reason); a granted slot is unaffected
   */
  acquire(signal?: AbortSignal): Promise<Release> {
    signal?.throwIfAborted();
    if (this.available > 0) {
      this.available -= 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = (): void => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      const next = this.waiters.shift();
      // Hand the slot straight to the next waiter so a newcomer cannot overtake it.
      if (next === undefined) {
        this.available += 1;
      } else {
        next.grant(this.releaser());
      }
    };
  }
}
