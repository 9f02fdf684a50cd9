/** Pure rules of running a crawl. Time comes in. */

/** How long a claimed crawl may run before another replica may take it over (the lease is renewed while it runs). */
export function leaseUntil(now: Date, leaseMs: number): Date {
  return new Date(now.getTime() + leaseMs);
}
