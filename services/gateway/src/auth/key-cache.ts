import { StoredKey } from './tenants.store';

/** How long a key read from the database is trusted without reading it again. */
export const KEY_CACHE_TTL_MS = 5_000;

/**
 * Stored keys by lookup, for {@link KEY_CACHE_TTL_MS}: the database is not read on every request. This
 * instance forgets a key the moment it is revoked or rotated here; another gateway replica may still
 * accept it for at most the TTL (documented in docs/gateway.md). Pure apart from its map.
 */
export class KeyCache {
  private readonly entries = new Map<string, { key: StoredKey | null; until: number }>();

  constructor(
    private readonly ttlMs = KEY_CACHE_TTL_MS,
    private readonly maxEntries = 10_000,
  ) {}

  /** The cached key (null: known not to exist); undefined when it must be read. */
  get(lookup: string, nowMs: number): StoredKey | null | undefined {
    const entry = this.entries.get(lookup);
    if (!entry || entry.until <= nowMs) {
      this.entries.delete(lookup);
      return undefined;
    }
    return entry.key;
  }

  set(lookup: string, key: StoredKey | null, nowMs: number): void {
    if (this.entries.size >= this.maxEntries) {
      this.entries.clear();
    }
    this.entries.set(lookup, { key, until: nowMs + this.ttlMs });
  }

  forget(lookup: string): void {
    this.entries.delete(lookup);
  }
}
