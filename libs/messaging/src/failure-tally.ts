/**
 * Counts unclassified handler failures per message in this process. Deliberately in memory: a restart or
 * a second replica only starts counting afresh, which means more retries before parking, never fewer,
 * and counting costs no write to a database that may be the very thing failing.
 */
export class FailureTally {
  private readonly counts = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  /** Records one more failure of `key`; returns how many there have been. */
  add(key: string): number {
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.delete(key);
    this.counts.set(key, count);
    if (this.counts.size > this.capacity) {
      // Forget the least recently failing message; it only gets more retries.
      const oldest = this.counts.keys().next();
      if (!oldest.done) {
        this.counts.delete(oldest.value);
      }
    }
    return count;
  }

  forget(key: string): void {
    this.counts.delete(key);
  }
}
