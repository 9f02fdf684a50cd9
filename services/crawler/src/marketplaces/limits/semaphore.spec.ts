import { Semaphore } from './semaphore';

describe('Semaphore', () => {
  it('holds at most `permits` and serves waiters first come, first served', async () => {
    const semaphore = new Semaphore(2);
    const order: string[] = [];
    const first = await semaphore.acquire();
    const second = await semaphore.acquire();
    const third = semaphore.acquire().then((release) => {
      order.push('third');
      return release;
    });
    const fourth = semaphore.acquire().then((release) => {
      order.push('fourth');
      return release;
    });
    expect([semaphore.inUse, semaphore.waiting]).toEqual([2, 2]);

    first();
    first();
    (await third)();
    second();
    (await fourth)();

    expect(order).toEqual(['third', 'fourth']);
    expect([semaphore.inUse, semaphore.waiting]).toEqual([0, 0]);
  });

  it('drops a waiter whose signal aborts, without losing the slot', async () => {
    const semaphore = new Semaphore(1);
    const held = await semaphore.acquire();
    const controller = new AbortController();
    const abandoned = semaphore.acquire(controller.signal);

    controller.abort(new Error('deadline'));
    await expect(abandoned).rejects.toThrow('deadline');
    held();

    expect([semaphore.inUse, semaphore.waiting]).toEqual([0, 0]);
    (await semaphore.acquire())();
  });

  it('refuses zero permits', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
