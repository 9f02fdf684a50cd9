/**
 * A bounded least-recently-used map. The simulator caches generated pools and shelves in it so paging
 * through one keyword is cheap, while a benchmark over thousands of keywords cannot grow memory without bound.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`LRU capacity must be a positive integer, got ${capacity}`);
    }
  }

  /** The cached value for `key`, computing and storing it with `create` on a miss. */
  getOrCreate(key: K, create: () => V): V {
    const found = this.#entries.get(key);
    if (found !== undefined) {
      // Re-inserting moves the key to the end of the Map's insertion order: the most recent position.
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found;
    }
    const value = create();
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) {
        this.#entries.delete(oldest.value);
      }
    }
    return value;
  }

  /** How many entries are cached. */
  get size(): number {
    return this.#entries.size;
  }
}
