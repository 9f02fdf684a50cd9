import { counter } from '@shelfwatch/observability';
import { ReadThroughCache } from './read-through-cache';

interface Value {
  id: string;
}

const lookups = counter('test_read_through_cache_lookups_total', 'lookups of the test cache', ['result']);

/** A cache whose reads answer only when their gate is opened, in the order they were started. */
function gatedCache() {
  const gates: (() => void)[] = [];
  const cache = new ReadThroughCache<Value>(
    async (key) => {
      await new Promise<void>((resolve) => gates.push(resolve));
      return { id: key };
    },
    { ttlMs: 60_000, maxEntries: 10, lookups },
  );
  return { cache, gates };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ReadThroughCache.reading', () => {
  it('says a key is being read from the first miss until its read ends, however it ends', async () => {
    const { cache, gates } = gatedCache();
    expect(cache.reading('abc')).toBe(false);
    const loads = [cache.load('abc'), cache.load('abc')];
    expect(cache.reading('abc')).toBe(true);
    expect(cache.reading('other')).toBe(false);
    await turn();
    gates.forEach((open) => open());
    await Promise.all(loads);
    expect(cache.reading('abc')).toBe(false);
    const failing = new ReadThroughCache<Value>(() => Promise.reject(new Error('database away')), {
      ttlMs: 60_000,
      maxEntries: 10,
      lookups,
    });
    const failed = failing.load('abc');
    expect(failing.reading('abc')).toBe(true);
    await expect(failed).rejects.toThrow('database away');
    expect(failing.reading('abc')).toBe(false);
  });

  it('still says a key is being read while a read started after a forget runs beside the cancelled one', async () => {
    const { cache, gates } = gatedCache();
    const first = cache.load('abc');
    cache.forget('abc');
    const second = cache.load('abc');
    await turn();
    // The cancelled read, the second caller's read, and the first caller's read again (not kept).
    expect(gates).toHaveLength(3);
    gates[0]?.();
    await turn();
    expect(cache.reading('abc')).toBe(true);
    gates.forEach((open) => open());
    await Promise.all([first, second]);
    expect(cache.reading('abc')).toBe(false);
  });
});
