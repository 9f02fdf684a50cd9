import { KeyCache } from './key-cache';
import { StoredKey } from './tenants.store';

const key: StoredKey = {
  id: 'k',
  tenantId: 't',
  lookup: 'abc',
  hash: Buffer.alloc(32),
  label: 'l',
  createdAt: new Date(0),
  revokedAt: null,
  lastUsedAt: null,
};

describe('KeyCache', () => {
  it('answers from memory until the TTL, then asks for a fresh read', () => {
    const cache = new KeyCache(1_000);
    expect(cache.get('abc', 0)).toBeUndefined();
    cache.set('abc', key, 0);
    cache.set('none', null, 0);
    expect(cache.get('abc', 999)).toBe(key);
    expect(cache.get('none', 999)).toBeNull();
    expect(cache.get('abc', 1_000)).toBeUndefined();
  });

  it('forgets a revoked key at once', () => {
    const cache = new KeyCache(1_000);
    cache.set('abc', key, 0);
    cache.forget('abc');
    expect(cache.get('abc', 1)).toBeUndefined();
  });
});
