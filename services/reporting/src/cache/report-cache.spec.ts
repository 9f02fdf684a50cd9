import { ReportCache } from './report-cache';

describe('ReportCache', () => {
  let clock = 0;
  let computed = 0;
  const compute = (value: string) => (): Promise<string> => {
    computed += 1;
    return Promise.resolve(value);
  };

  beforeEach(() => {
    clock = 0;
    computed = 0;
  });

  it('serves an answer while its version is current and it is younger than the TTL', async () => {
    const cache = new ReportCache<string>('spec-ttl', { ttlMs: 1_000, maxEntries: 10 }, () => clock);
    expect(await cache.get('k', 1, compute('a'))).toBe('a');
    clock = 999;
    expect(await cache.get('k', 1, compute('b'))).toBe('a');
    clock = 1_000;
    expect(await cache.get('k', 1, compute('c'))).toBe('c');
    expect(computed).toBe(2);
    expect(cache.hitRatio).toBeCloseTo(1 / 3);
  });

  it('recomputes as soon as the version moved on, however fresh the entry', async () => {
    const cache = new ReportCache<string>('spec-version', { ttlMs: 60_000, maxEntries: 10 }, () => clock);
    await cache.get('k', 1, compute('a'));
    expect(await cache.get('k', 2, compute('b'))).toBe('b');
    expect(await cache.get('k', 2, compute('c'))).toBe('b');
  });

  it('drops the least recently used entry when full', async () => {
    const cache = new ReportCache<string>('spec-lru', { ttlMs: 60_000, maxEntries: 2 }, () => clock);
    await cache.get('a', 1, compute('a'));
    await cache.get('b', 1, compute('b'));
    await cache.get('a', 1, compute('a2'));
    await cache.get('c', 1, compute('c'));
    expect(await cache.get('a', 1, compute('a3'))).toBe('a');
    expect(await cache.get('b', 1, compute('b2'))).toBe('b2');
  });

  it('caches nothing when the computation fails', async () => {
    const cache = new ReportCache<string>('spec-fail', { ttlMs: 60_000, maxEntries: 2 }, () => clock);
    await expect(cache.get('k', 1, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('k', 1, compute('a'))).toBe('a');
  });

  it('runs one computation for concurrent misses of a key and version, and shares its failure', async () => {
    const cache = new ReportCache<string>('spec-flight', { ttlMs: 60_000, maxEntries: 10 }, () => clock);
    let release: (value: string) => void = () => undefined;
    const slow = (): Promise<string> => {
      computed += 1;
      return new Promise((resolve) => (release = resolve));
    };
    const waiting = Promise.all(Array.from({ length: 20 }, () => cache.get('k', 1, slow)));
    const newer = cache.get('k', 2, compute('v2'));
    release('v1');
    expect(await waiting).toEqual(Array.from({ length: 20 }, () => 'v1'));
    expect(await newer).toBe('v2');
    expect(computed).toBe(2);
    expect(await cache.get('k', 2, compute('again'))).toBe('v2');

    const failing = Array.from({ length: 3 }, () => cache.get('f', 1, () => Promise.reject(new Error('boom'))));
    for (const attempt of failing) {
      await expect(attempt).rejects.toThrow('boom');
    }
    expect(await cache.get('f', 1, compute('recovered'))).toBe('recovered');
  });
});
