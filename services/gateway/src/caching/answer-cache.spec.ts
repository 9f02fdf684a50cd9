import { metricValue } from '../../../../libs/resilience/test/metric-value';
import { ANSWER_CACHE_LOOKUPS, AnswerCache, wantsFresh } from './answer-cache';

/** A service whose answers are counted, name the call that made them, and wait for `release` once held. */
function service() {
  let calls = 0;
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  return {
    calls: () => calls,
    hold: () => {
      gate = new Promise<void>((resolve) => (release = resolve));
    },
    release: () => release(),
    compute: (label: string) => async () => {
      calls += 1;
      const made = calls;
      await gate;
      return JSON.stringify({ label, made });
    },
  };
}

/** The cache's answer with its bytes as text. */
async function ask(
  cache: AnswerCache,
  tenantId: string,
  question: string,
  compute: () => Promise<string>,
  changes?: string,
): Promise<{ text: string; use: string }> {
  const { body, use } = await cache.answer(tenantId, question, compute, changes);
  return { text: body.toString('utf8'), use };
}

describe('AnswerCache', () => {
  it('answers a question from memory until the TTL, then computes it again', async () => {
    let now = 50_000;
    const backend = service();
    const cache = new AnswerCache({ ttlMs: 1_000, now: () => now });
    expect(await ask(cache, 't1', 'q', backend.compute('a'))).toEqual({
      text: '{"label":"a","made":1}',
      use: 'miss',
    });
    now += 400;
    expect(await ask(cache, 't1', 'q', backend.compute('a'))).toEqual({ text: '{"label":"a","made":1}', use: 'hit' });
    now += 601;
    expect(await ask(cache, 't1', 'q', backend.compute('a'))).toEqual({
      text: '{"label":"a","made":2}',
      use: 'miss',
    });
    expect(backend.calls()).toBe(2);
  });

  it('serves an answer past half its TTL while computing the next one beside it, once', async () => {
    let now = 50_000;
    const backend = service();
    const cache = new AnswerCache({ ttlMs: 1_000, now: () => now });
    await ask(cache, 't1', 'q', backend.compute('a'));
    now += 499;
    await ask(cache, 't1', 'q', backend.compute('a'));
    expect(backend.calls()).toBe(1);
    now += 1;
    backend.hold();
    // Half the TTL: served at once, computed again once however many ask meanwhile.
    for (let i = 0; i < 5; i += 1) {
      expect(await ask(cache, 't1', 'q', backend.compute('a'))).toEqual({
        text: '{"label":"a","made":1}',
        use: 'hit',
      });
    }
    expect(backend.calls()).toBe(2);
    backend.release();
    await new Promise((done) => setImmediate(done));
    now += 400;
    expect(await ask(cache, 't1', 'q', backend.compute('a'))).toEqual({ text: '{"label":"a","made":2}', use: 'hit' });
    // The refreshed answer lives a whole TTL from when it was kept, past the first one's expiry.
    now += 500;
    expect((await ask(cache, 't1', 'q', backend.compute('a'))).text).toBe('{"label":"a","made":2}');
  });

  it('lets an answer whose computation ahead of expiry failed expire at its TTL', async () => {
    let now = 50_000;
    let fail = false;
    let calls = 0;
    const compute = () => {
      calls += 1;
      return fail ? Promise.reject(new Error('ranking down')) : Promise.resolve(`{"made":${calls}}`);
    };
    const cache = new AnswerCache({ ttlMs: 1_000, now: () => now });
    await ask(cache, 't1', 'q', compute);
    fail = true;
    now += 600;
    expect((await ask(cache, 't1', 'q', compute)).text).toBe('{"made":1}');
    await new Promise((done) => setImmediate(done));
    now += 401;
    await expect(ask(cache, 't1', 'q', compute)).rejects.toThrow('ranking down');
  });

  it('computes once however many requests ask the same at once (50 concurrent misses, one computation)', async () => {
    const backend = service();
    const cache = new AnswerCache({ ttlMs: 1_000 });
    const hitsBefore = await metricValue(ANSWER_CACHE_LOOKUPS, { result: 'hit' });
    backend.hold();
    const answers = Array.from({ length: 50 }, () => ask(cache, 't1', 'q', backend.compute('a')));
    backend.release();
    const settled = await Promise.all(answers);
    expect(backend.calls()).toBe(1);
    expect(new Set(settled.map((answer) => answer.text))).toEqual(new Set(['{"label":"a","made":1}']));
    expect(settled.filter((answer) => answer.use === 'miss')).toHaveLength(1);
    expect(settled.filter((answer) => answer.use === 'collapsed')).toHaveLength(49);
    expect((await ask(cache, 't1', 'q', backend.compute('a'))).use).toBe('hit');
    expect(await metricValue(ANSWER_CACHE_LOOKUPS, { result: 'hit' })).toBe(hitsBefore + 1);
  });

  it("keeps each tenant's answers apart, and each question's", async () => {
    const backend = service();
    const cache = new AnswerCache({ ttlMs: 60_000 });
    await ask(cache, 't1', 'q', backend.compute('t1 q'));
    await ask(cache, 't2', 'q', backend.compute('t2 q'));
    await ask(cache, 't1', 'r', backend.compute('t1 r'));
    expect((await ask(cache, 't2', 'q', backend.compute('other'))).text).toContain('t2 q');
    expect((await ask(cache, 't1', 'r', backend.compute('other'))).text).toContain('t1 r');
    expect(backend.calls()).toBe(3);
  });

  it("drops a tenant's answers when it changes something, and only its own", async () => {
    const backend = service();
    const cache = new AnswerCache({ ttlMs: 60_000 });
    await ask(cache, 't1', 'q', backend.compute('before'));
    await ask(cache, 't2', 'q', backend.compute('t2'));
    cache.changed('t1');
    expect(await ask(cache, 't1', 'q', backend.compute('after'))).toEqual({
      text: '{"label":"after","made":3}',
      use: 'miss',
    });
    expect((await ask(cache, 't2', 'q', backend.compute('other'))).use).toBe('hit');
  });

  it('never serves an answer being computed when the tenant changed something', async () => {
    const backend = service();
    const cache = new AnswerCache({ ttlMs: 60_000 });
    backend.hold();
    const before = ask(cache, 't1', 'q', backend.compute('before'));
    cache.changed('t1');
    backend.release();
    expect((await before).text).toContain('before');
    expect((await ask(cache, 't1', 'q', backend.compute('after'))).text).toContain('after');
  });

  it('keeps an answer under the changes stamp it was asked with: a change through another replica is a new stamp', async () => {
    const backend = service();
    const cache = new AnswerCache({ ttlMs: 60_000 });
    await ask(cache, 't1', 'q', backend.compute('before'), '4.0');
    expect((await ask(cache, 't1', 'q', backend.compute('again'), '4.0')).use).toBe('hit');
    expect(await ask(cache, 't1', 'q', backend.compute('after'), '5.0')).toEqual({
      text: '{"label":"after","made":2}',
      use: 'miss',
    });
    // The store away: no stamp is another key too, never the answer kept under one.
    expect((await ask(cache, 't1', 'q', backend.compute('alone'))).use).toBe('miss');
  });

  it("drops every tenant's answers on the operator's change", async () => {
    const backend = service();
    const cache = new AnswerCache({ ttlMs: 60_000 });
    await ask(cache, 't1', 'q', backend.compute('t1'));
    await ask(cache, 't2', 'q', backend.compute('t2'));
    cache.changed(null);
    expect((await ask(cache, 't1', 'q', backend.compute('t1'))).use).toBe('miss');
    expect((await ask(cache, 't2', 'q', backend.compute('t2'))).use).toBe('miss');
  });

  it('keeps no failure: the next request computes again', async () => {
    const cache = new AnswerCache({ ttlMs: 60_000 });
    await expect(ask(cache, 't1', 'q', () => Promise.reject(new Error('ranking down')))).rejects.toThrow(
      'ranking down',
    );
    expect(await ask(cache, 't1', 'q', () => Promise.resolve('{}'))).toEqual({ text: '{}', use: 'miss' });
  });

  it('holds at most its bytes: the least recently used answer goes, one larger than the bound is served and not kept', async () => {
    const backend = service();
    const cache = new AnswerCache({ ttlMs: 60_000, maxBytes: 2 * 100 });
    const text = (fill: string) => () => Promise.resolve(fill.repeat(100));
    await ask(cache, 't1', 'a', text('a'));
    await ask(cache, 't1', 'b', text('b'));
    expect((await ask(cache, 't1', 'a', text('x'))).use).toBe('hit');
    await ask(cache, 't1', 'c', text('c'));
    expect((await ask(cache, 't1', 'b', text('b'))).use).toBe('miss');
    const huge = await ask(cache, 't1', 'huge', text('h'.repeat(5)));
    expect(huge.text).toHaveLength(500);
    expect((await ask(cache, 't1', 'huge', text('h'.repeat(5)))).use).toBe('miss');
    expect(backend.calls()).toBe(0);
  });

  it('keeps the UTF-8 bytes of an answer in any script, and bounds them by bytes', async () => {
    const korean = JSON.stringify({ name: '무선 이어폰' });
    const cache = new AnswerCache({ ttlMs: 60_000, maxBytes: Buffer.byteLength(korean) });
    const first = await cache.answer('t1', 'q', () => Promise.resolve(korean));
    expect(first.body.toString('utf8')).toBe(korean);
    expect(first.body.length).toBe(Buffer.byteLength(korean));
    expect((await cache.answer('t1', 'q', () => Promise.resolve('{}'))).body.toString('utf8')).toBe(korean);
    // One byte over the bound: sent, not kept.
    const longer = JSON.stringify({ name: '무선 이어폰!' });
    await cache.answer('t1', 'r', () => Promise.resolve(longer));
    expect((await cache.answer('t1', 'r', () => Promise.resolve('{}'))).use).toBe('miss');
  });

  it('is off with a TTL of 0', () => {
    expect(new AnswerCache({ ttlMs: 0 }).enabled).toBe(false);
    expect(new AnswerCache({ ttlMs: 1 }).enabled).toBe(true);
  });
});

describe('wantsFresh', () => {
  it.each([
    ['no-cache', true],
    ['No-Store', true],
    ['max-age=0', true],
    ['max-age = 0', true],
    ['max-age="0"', true],
    ['private, no-cache', true],
    [['max-age=60', 'no-cache'], true],
    ['max-age=10', false],
    ['max-age=05', false],
    ['no-transform', false],
    ['', false],
    [undefined, false],
  ])('Cache-Control %j: %s', (header, fresh) => {
    expect(wantsFresh(header)).toBe(fresh);
  });
});
