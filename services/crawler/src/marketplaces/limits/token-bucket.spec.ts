import { TokenBucket } from './token-bucket';

/** A bucket on a manual clock whose sleeps advance that clock and are recorded. */
function harness(
  ratePerSecond: number,
  burst?: number,
): { bucket: TokenBucket; sleeps: number[]; tick: (ms: number) => void } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const bucket = new TokenBucket({
    ratePerSecond,
    burst,
    clock: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { bucket, sleeps, tick: (ms) => (now += ms) };
}

describe('TokenBucket', () => {
  it('lets a full burst through at once, then spaces requests at the rate', () => {
    const { bucket } = harness(10);

    const waits = Array.from({ length: 13 }, () => bucket.reserve());

    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 200, 300]);
  });

  it('refills with time but never above the burst size', () => {
    const { bucket, tick } = harness(2, 2);
    bucket.reserve();
    bucket.reserve();

    tick(500);
    expect(bucket.reserve()).toBe(0);
    expect(bucket.reserve()).toBe(500);

    tick(60_000);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 500]);
  });

  it('take() sleeps exactly the reserved wait and honours an aborted signal', async () => {
    const { bucket, sleeps } = harness(1, 1);

    await bucket.take();
    await bucket.take();

    expect(sleeps).toEqual([1_000]);
    await expect(bucket.take(AbortSignal.abort(new Error('stop')))).rejects.toThrow('stop');
  });

  it('refuses a non-positive rate', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0 })).toThrow(RangeError);
  });
});
