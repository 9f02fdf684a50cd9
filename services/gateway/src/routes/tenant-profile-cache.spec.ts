import { metricValue } from '../../../../libs/resilience/test/metric-value';
import { TENANT_PROFILE_LOOKUPS, TENANT_USAGE_LOOKUPS, TenantProfileCache } from './tenant-profile-cache';

interface Profile {
  name: string;
  plan: string | null;
}

/** Profiles whose reads are counted, answer only when released (all at once) once held, or fail when told to. */
function profiles(initial: Record<string, Profile>) {
  const reads: string[] = [];
  const stored = { ...initial };
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  let failure: Error | null = null;
  return {
    reads,
    stored,
    hold: () => {
      gate = new Promise<void>((resolve) => (release = resolve));
    },
    release: () => release(),
    failWith: (error: Error | null) => {
      failure = error;
    },
    read: async (tenantId: string) => {
      reads.push(tenantId);
      // What the read sees is what was stored when it began.
      const profile = { ...stored[tenantId] };
      await gate;
      if (failure) {
        throw failure;
      }
      return { profile, complete: profile.plan !== null };
    },
  };
}

function lookups(result: 'hit' | 'miss'): Promise<number> {
  return metricValue(TENANT_PROFILE_LOOKUPS, { result });
}

describe('TenantProfileCache', () => {
  it('answers from memory until the TTL, then reads again', async () => {
    let now = 10_000;
    const db = profiles({ t: { name: 'acme', plan: 'standard' } });
    const cache = new TenantProfileCache(db.read, { ttlMs: 1_000, now: () => now });
    expect(await cache.get('t')).toEqual({ name: 'acme', plan: 'standard' });
    db.stored.t = { name: 'acme', plan: 'pro' };
    now += 499;
    expect(await cache.get('t')).toEqual({ name: 'acme', plan: 'standard' });
    now += 502;
    expect(await cache.get('t')).toEqual({ name: 'acme', plan: 'pro' });
    expect(db.reads).toEqual(['t', 't']);
  });

  it('serves a profile past half its TTL at once and reads it again beside it, once, keeping it a whole TTL', async () => {
    let now = 10_000;
    const db = profiles({ t: { name: 'acme', plan: 'standard' } });
    const cache = new TenantProfileCache(db.read, { ttlMs: 1_000, now: () => now });
    await cache.get('t');
    db.stored.t = { name: 'acme', plan: 'pro' };
    now += 600;
    db.hold();
    // The read ahead is held: every request meanwhile is answered from memory, and none starts another read.
    for (let i = 0; i < 5; i += 1) {
      expect((await cache.get('t')).plan).toBe('standard');
    }
    expect(db.reads).toEqual(['t', 't']);
    db.release();
    await new Promise((done) => setImmediate(done));
    expect((await cache.get('t')).plan).toBe('pro');
    // Kept a whole TTL from when it was read: past the first value's expiry (11,000), still from memory.
    now += 450;
    expect((await cache.get('t')).plan).toBe('pro');
    expect(db.reads).toEqual(['t', 't']);
  });

  it('keeps neither a read ahead that began before the tenant was forgotten nor one whose service did not answer', async () => {
    let now = 10_000;
    const db = profiles({ t: { name: 'acme', plan: 'standard' } });
    const cache = new TenantProfileCache(db.read, { ttlMs: 1_000, now: () => now });
    await cache.get('t');
    now += 600;
    db.hold();
    await cache.get('t');
    db.stored.t = { name: 'acme', plan: 'pro' };
    cache.forget('t');
    db.release();
    await new Promise((done) => setImmediate(done));
    // The read ahead saw 'standard' before the change: not kept, so this reads the tenant afresh.
    expect((await cache.get('t')).plan).toBe('pro');
    expect(db.reads).toEqual(['t', 't', 't']);

    now += 600;
    db.stored.t = { name: 'acme', plan: null };
    expect((await cache.get('t')).plan).toBe('pro');
    await new Promise((done) => setImmediate(done));
    // Ranking did not answer the read ahead: the complete value stays until its TTL, then the read is in the open.
    expect((await cache.get('t')).plan).toBe('pro');
    now += 401;
    expect((await cache.get('t')).plan).toBe(null);
  });

  it('reads a tenant once however many requests miss it at once', async () => {
    const db = profiles({ t: { name: 'acme', plan: 'standard' } });
    const cache = new TenantProfileCache(db.read);
    db.hold();
    const waiting = Array.from({ length: 50 }, () => cache.get('t'));
    db.release();
    const answers = await Promise.all(waiting);
    expect(db.reads).toEqual(['t']);
    expect(answers.every((answer) => answer.plan === 'standard')).toBe(true);
  });

  it('serves a profile read while ranking did not answer, but does not keep it', async () => {
    const db = profiles({ t: { name: 'acme', plan: null } });
    const cache = new TenantProfileCache(db.read);
    expect(await cache.get('t')).toEqual({ name: 'acme', plan: null });
    db.stored.t = { name: 'acme', plan: 'standard' };
    expect(await cache.get('t')).toEqual({ name: 'acme', plan: 'standard' });
    expect(await cache.get('t')).toEqual({ name: 'acme', plan: 'standard' });
    expect(db.reads).toEqual(['t', 't']);
  });

  it('forgets a tenant whose plan was set, and does not keep a read of it that was under way', async () => {
    const db = profiles({ t: { name: 'acme', plan: 'standard' } });
    const cache = new TenantProfileCache(db.read);
    await cache.get('t');
    db.stored.t = { name: 'acme', plan: 'free' };
    cache.forget('t');
    expect((await cache.get('t')).plan).toBe('free');

    // Set again while a request is reading it: the read began before the change.
    cache.forget('t');
    db.hold();
    const racing = cache.get('t');
    db.stored.t = { name: 'acme', plan: 'pro' };
    cache.forget('t');
    db.release();
    expect((await racing).plan).toBe('pro');
    db.stored.t = { name: 'acme', plan: 'standard' };
    expect((await cache.get('t')).plan).toBe('standard');
  });

  it('passes a failed read on without keeping it', async () => {
    const db = profiles({ t: { name: 'acme', plan: 'standard' } });
    const cache = new TenantProfileCache(db.read);
    db.failWith(new Error('database away'));
    await expect(cache.get('t')).rejects.toThrow('database away');
    db.failWith(null);
    expect((await cache.get('t')).plan).toBe('standard');
  });

  it('counts hits and misses', async () => {
    const db = profiles({ t: { name: 'acme', plan: 'standard' } });
    const cache = new TenantProfileCache(db.read);
    const [hits, misses] = [await lookups('hit'), await lookups('miss')];
    await cache.get('t');
    await cache.get('t');
    await cache.get('t');
    expect({ hits: (await lookups('hit')) - hits, misses: (await lookups('miss')) - misses }).toEqual({
      hits: 2,
      misses: 1,
    });
  });

  it("keeps a tenant's usage for 1 s (not the profile's 5 s), counted under its own metric", async () => {
    let now = 10_000;
    const crawler = { usedToday: 3, reads: 0 };
    const usageOf = (): Promise<{ profile: { usedToday: number }; complete: boolean }> => {
      crawler.reads += 1;
      return Promise.resolve({ profile: { usedToday: crawler.usedToday }, complete: true });
    };
    const cache = new TenantProfileCache(usageOf, { now: () => now }, 'usage');
    const hits = await metricValue(TENANT_USAGE_LOOKUPS, { result: 'hit' });
    const profileHits = await lookups('hit');
    expect(await cache.get('t')).toEqual({ usedToday: 3 });
    crawler.usedToday = 4;
    now += 499;
    expect(await cache.get('t')).toEqual({ usedToday: 3 });
    now += 502;
    expect(await cache.get('t')).toEqual({ usedToday: 4 });
    expect(crawler.reads).toBe(2);
    expect((await metricValue(TENANT_USAGE_LOOKUPS, { result: 'hit' })) - hits).toBe(1);
    expect((await lookups('hit')) - profileHits).toBe(0);
  });
});
