/**
 * Orders work by key: items of one key are handed out in arrival order and never to two takers at once; items of
 * different keys go to different takers in parallel. A taker gets a batch with {@link take} and hands its keys
 * back with {@link release} once the batch is applied.
 *
 * A batch may hold several items of one key (they stay in arrival order inside it). An item waits while its key is
 * held by a batch being applied, and so does every later item of that key, so a key's items are never reordered.
 */
export class KeyLanes<T> {
  private pending: { item: T; key: string }[] = [];
  private readonly held = new Set<string>();

  /** Items waiting to be taken. */
  get size(): number {
    return this.pending.length;
  }

  push(item: T, key: string): void {
    this.pending.push({ item, key });
  }

  /**
   * Up to `max` items, oldest first, whose key no batch being applied holds; their keys are held until
   * {@link release}. Empty when every waiting item's key is held (or nothing waits). An item left waiting never has
   * a later item of its key taken before it: it waits because its key is held (so does the later one) or because
   * the batch is full (so is it for every later item).
   *
   * The batch comes grouped by key, the keys in code-unit order, each key's items in arrival order. Handlers that
   * lock per key (the ranking's keyword lock) then lock in one order in every process: two replicas whose batches
   * share keys wait for each other instead of each holding a lock the other needs (a deadlock, which Postgres ends
   * by aborting one after a second, and its batch is applied again message by message).
   */
  take(max: number): { items: T[]; keys: string[] } {
    const taken: { item: T; key: string }[] = [];
    const kept: { item: T; key: string }[] = [];
    for (const entry of this.pending) {
      if (taken.length < max && !this.held.has(entry.key)) {
        taken.push(entry);
      } else {
        kept.push(entry);
      }
    }
    this.pending = kept;
    const byKey = new Map<string, T[]>();
    for (const { item, key } of taken) {
      const items = byKey.get(key);
      if (items === undefined) {
        byKey.set(key, [item]);
      } else {
        items.push(item);
      }
    }
    const keys = [...byKey.keys()].sort();
    keys.forEach((key) => this.held.add(key));
    return { items: keys.flatMap((key) => byKey.get(key) ?? []), keys };
  }

  /** Hands back the keys of an applied batch: their next items can be taken. */
  release(keys: readonly string[]): void {
    keys.forEach((key) => this.held.delete(key));
  }
}
