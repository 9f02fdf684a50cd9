import { metricValue } from '../../../../libs/resilience/test/metric-value';
import { KEY_CACHE_LOOKUPS, KeyCache } from './key-cache';
import { StoredKey } from './tenants.store';

function storedKey(overrides: Partial<StoredKey> = {}): StoredKey {
  return {
    id: 'k',
    tenantId: 't',
    lookup: 'abc',
    hash: Buffer.alloc(32),
    label: 'l',
    createdAt: new Date(0),
    revokedAt: null,
    lastUsedAt: null,
    ...overrides,
  };
}

/** A database of keys whose reads are counted and answer only when released (all at once). */
function slowDatabase(keys: Record<string, StoredKey>) {
  const reads: string[] = [];
  let release: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (release = resolve));
  return {
    reads,
    release: () => release(),
    reopen: () => {
      gate = new Promise<void>((resolve) => (release = resolve));
    },
    read: async (lookup: string): Promise<StoredKey | null> => {
      reads.push(lookup);
      await gate;
      return keys[lookup] ?? null;
    },
  };
}

/** A database answering at once, counting its reads. */
function database(keys: Record<string, StoredKey>) {
  const reads: string[] = [];
  return {
    reads,
    read: (lookup: string): Promise<StoredKey | null> => {
      reads.push(lookup);
      return Promise.resolve(keys[lookup] ?? null);
    },
  };
}

function lookups(result: 'hit' | 'miss'): Promise<number> {
  return metricValue(KEY_CACHE_LOOKUPS, { result });
}

describe('KeyCache', () => {
  it('answers from memory until the TTL, then asks for a fresh read; unknown keys are remembered too', async () => {
    let now = 50_000;
    const db = database({ abc: storedKey() });
    const cache = new KeyCache(db.read, { ttlMs: 1_000, now: () => now });
    expect(cache.get('abc')).toBeUndefined();
    expect(await cache.load('abc')).toMatchObject({ id: 'k' });
    expect(await cache.load('none')).toBeNull();
    now = 51_000;
    expect(cache.get('abc')).toMatchObject({ id: 'k' });
    expect(cache.get('none')).toBeNull();
    now = 51_001;
    expect(cache.get('abc')).toBeUndefined();
    expect(db.reads).toEqual(['abc', 'none']);
  });

  it('reads a key in use again past half its TTL, beside it and once, so its requests are not missed at expiry', async () => {
    let now = 50_000;
    const db = slowDatabase({ abc: storedKey() });
    const cache = new KeyCache(db.read, { ttlMs: 1_000, now: () => now });
    const first = cache.load('abc');
    db.release();
    await first;
    now = 50_400;
    cache.get('abc');
    expect(db.reads).toEqual(['abc']);
    now = 50_600;
    db.reopen();
    for (let i = 0; i < 5; i += 1) {
      expect(cache.get('abc')).toMatchObject({ id: 'k' });
    }
    expect(db.reads).toEqual(['abc', 'abc']);
    db.release();
    await new Promise((done) => setImmediate(done));
    // Kept a whole TTL from its read ahead: past the first read's expiry, still from memory, no read.
    now = 51_050;
    expect(cache.get('abc')).toMatchObject({ id: 'k' });
    expect(db.reads).toEqual(['abc', 'abc']);
    // A lookup known not to exist is served from memory past half its TTL without a read ahead.
    const unknown = cache.load('none');
    db.release();
    await unknown;
    now = 51_700;
    expect(cache.get('none')).toBeNull();
    await new Promise((done) => setImmediate(done));
    expect(db.reads).toEqual(['abc', 'abc', 'none']);
  });

  it('reads a key once however many requests miss it at once', async () => {
    const db = slowDatabase({ abc: storedKey() });
    const cache = new KeyCache(db.read);
    const waiting = Array.from({ length: 50 }, () => cache.load('abc'));
    db.release();
    const answers = await Promise.all(waiting);
    expect(db.reads).toEqual(['abc']);
    expect(answers.every((answer) => answer?.id === 'k')).toBe(true);
  });

  it('drops only the least recently used key when it is full, never the rest', async () => {
    const keys = Object.fromEntries(['a', 'b', 'c', 'd'].map((lookup) => [lookup, storedKey({ id: lookup, lookup })]));
    const db = database(keys);
    const cache = new KeyCache(db.read, { maxEntries: 3 });
    for (const lookup of ['a', 'b', 'c']) {
      await cache.load(lookup);
    }
    expect(cache.get('a')?.id).toBe('a');
    await cache.load('d');
    expect(['a', 'b', 'c', 'd'].map((lookup) => cache.get(lookup)?.id ?? null)).toEqual(['a', null, 'c', 'd']);
    expect(db.reads).toEqual(['a', 'b', 'c', 'd']);
  });

  it('forgets a revoked key at once, and does not keep a read of it that was under way', async () => {
    const db = slowDatabase({ abc: storedKey() });
    const cache = new KeyCache(db.read);
    const before = cache.load('abc');
    cache.forget('abc');
    db.release();
    expect(await before).toMatchObject({ id: 'k' });
    expect(cache.get('abc')).toBeUndefined();
    db.reopen();
    const again = cache.load('abc');
    db.release();
    await again;
    cache.forget('abc');
    expect(cache.get('abc')).toBeUndefined();
  });

  it('passes a failed read on without keeping it', async () => {
    const failing = (): Promise<StoredKey | null> => Promise.reject(new Error('connection refused'));
    const cache = new KeyCache(failing);
    await expect(cache.load('abc')).rejects.toThrow('connection refused');
    expect(cache.get('abc')).toBeUndefined();
  });

  it('counts hits and misses, the hit rate of the metric', async () => {
    const [hits, misses] = [await lookups('hit'), await lookups('miss')];
    const cache = new KeyCache(database({ abc: storedKey() }).read);
    cache.get('abc');
    await cache.load('abc');
    cache.get('abc');
    cache.get('abc');
    expect({ hits: (await lookups('hit')) - hits, misses: (await lookups('miss')) - misses }).toEqual({
      hits: 2,
      misses: 1,
    });
  });
});
