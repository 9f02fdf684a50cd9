import { Writable } from 'node:stream';
import { createLogger } from '@shelfwatch/observability';
import { eventually } from '@shelfwatch/testing';
import { register } from 'prom-client';
import { BucketPolicy } from './rate-limiter';
import { BucketStore, TakenToken } from './redis-bucket.store';
import { RATE_LIMIT_METRICS, SharedRateLimiter, fallbackPolicy } from './shared-rate-limiter';

/** A store that is up or down on demand, holding one bucket per key without refill. */
class SwitchableStore implements BucketStore {
  up = true;
  takes = 0;
  private readonly tokens = new Map<string, number>();
  readonly changes = new Map<string, number>();

  take(key: string, policy: BucketPolicy): Promise<TakenToken> {
    this.takes += 1;
    if (!this.up) {
      return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    }
    const left = this.tokens.get(key) ?? policy.burst;
    const allowed = left >= 1;
    this.tokens.set(key, allowed ? left - 1 : left);
    const changes = `${this.changes.get(key) ?? 0}.${this.changes.get('admin') ?? 0}`;
    return Promise.resolve({ allowed, tokens: allowed ? left - 1 : left, changes });
  }

  refunds = 0;

  refund(key: string, policy: BucketPolicy): Promise<void> {
    if (!this.up) {
      return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    }
    this.refunds += 1;
    this.tokens.set(key, Math.min(policy.burst, (this.tokens.get(key) ?? policy.burst) + 1));
    return Promise.resolve();
  }

  noteChange(key: string): Promise<void> {
    if (!this.up) {
      return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    }
    this.changes.set(key, (this.changes.get(key) ?? 0) + 1);
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return this.up ? Promise.resolve() : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
  }
}

function logLines() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'gateway', level: 'info', destination: stream }) };
}

async function gaugeValue(limit = 'tenant'): Promise<number> {
  const metric = await register.getSingleMetric(RATE_LIMIT_METRICS.fallbackActive)?.get();
  return metric?.values.find((value) => value.labels.limit === limit)?.value ?? -1;
}

const policy = { burst: 10, perMinute: 60 };

describe('SharedRateLimiter', () => {
  it('takes from the shared store while it answers, with the policy in the decision', async () => {
    const store = new SwitchableStore();
    const limiter = new SharedRateLimiter(store, {
      limit: 'tenant',
      policy,
      fallbackReplicas: 2,
      probeEveryMs: 0,
      ...logLines(),
    });
    const decisions = await Promise.all(Array.from({ length: 11 }, () => limiter.take('tenant:a', 0)));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
    expect(decisions[10]).toMatchObject({ allowed: false, limit: 10, windowSeconds: 10, remaining: 0 });
    expect(store.takes).toBe(11);
  });

  it('limits alone at the limit divided by the replicas while the store is away, logging the outage once', async () => {
    const store = new SwitchableStore();
    const { lines, logger } = logLines();
    const limiter = new SharedRateLimiter(store, {
      limit: 'tenant',
      policy,
      fallbackReplicas: 2,
      probeEveryMs: 60_000,
      logger,
    });
    store.up = false;
    const decisions = [];
    for (let i = 0; i < 8; i += 1) {
      decisions.push(await limiter.take('tenant:a', 0));
    }
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, true, true, false, false, false]);
    expect(decisions[0]).toMatchObject({ limit: 5, windowSeconds: 10 });
    expect(limiter.degraded).toBe(true);
    expect(await gaugeValue()).toBe(1);
    // Only the first request asked the store; the others never waited on it.
    expect(store.takes).toBe(1);
    expect(lines.filter((line) => line.includes('unreachable'))).toHaveLength(1);
  });

  it('shares the limits again once the store answers a ping, and says so', async () => {
    const store = new SwitchableStore();
    const { lines, logger } = logLines();
    const limiter = new SharedRateLimiter(store, {
      limit: 'tenant',
      policy,
      fallbackReplicas: 1,
      probeEveryMs: 10,
      logger,
    });
    store.up = false;
    await limiter.take('tenant:a', 0);
    expect(limiter.degraded).toBe(true);
    store.up = true;
    let now = 0;
    await eventually(async () => {
      now += 20;
      await limiter.take('tenant:a', now);
      expect(limiter.degraded).toBe(false);
    });
    const takes = store.takes;
    await limiter.take('tenant:a', now);
    expect(store.takes).toBe(takes + 1);
    expect(await gaugeValue()).toBe(0);
    expect(lines.filter((line) => line.includes('limits shared again'))).toHaveLength(1);
  });

  it('gives a token back in the store while it answers, in its own bucket while it is away, never failing', async () => {
    const store = new SwitchableStore();
    const { logger } = logLines();
    const limiter = new SharedRateLimiter(store, {
      limit: 'auth',
      policy: { burst: 2, perMinute: 1 },
      fallbackReplicas: 1,
      probeEveryMs: 60_000,
      logger,
    });
    const allowed = async (): Promise<boolean> => (await limiter.take('10.0.0.1', 0)).allowed;
    expect([await allowed(), await allowed(), await allowed()]).toEqual([true, true, false]);
    await limiter.refund('10.0.0.1');
    expect(store.refunds).toBe(1);
    expect([await allowed(), await allowed()]).toEqual([true, false]);

    store.up = false;
    await expect(limiter.refund('10.0.0.1')).resolves.toBeUndefined(); // starts the outage, does not fail
    expect(limiter.degraded).toBe(true);
    expect(await gaugeValue('auth')).toBe(1);
    expect([await allowed(), await allowed(), await allowed()]).toEqual([true, true, false]); // its own bucket
    await limiter.refund('10.0.0.1');
    expect([await allowed(), await allowed()]).toEqual([true, false]);
    expect(store.refunds).toBe(1);
  });

  it('never divides a limit below one request', () => {
    expect(fallbackPolicy({ burst: 3, perMinute: 2 }, 4)).toEqual({ burst: 1, perMinute: 1 });
    expect(fallbackPolicy({ burst: 100, perMinute: 600 }, 3)).toEqual({ burst: 33, perMinute: 200 });
  });

  it('reads the changes stamp with each token and counts changes in the store; neither while the store is away', async () => {
    const store = new SwitchableStore();
    const { lines, logger } = logLines();
    const limiter = new SharedRateLimiter(store, {
      limit: 'tenant',
      policy,
      fallbackReplicas: 1,
      probeEveryMs: 60_000,
      logger,
    });
    expect((await limiter.take('tenant:a', 0)).changes).toBe('0.0');
    await limiter.noteChange('tenant:a');
    await limiter.noteChange('admin');
    expect((await limiter.take('tenant:a', 0)).changes).toBe('1.1');
    expect((await limiter.take('tenant:b', 0)).changes).toBe('0.1');

    // A change the store cannot count does not fail the request: it starts the outage, and requests carry no stamp.
    store.up = false;
    await expect(limiter.noteChange('tenant:a')).resolves.toBeUndefined();
    expect(limiter.degraded).toBe(true);
    expect((await limiter.take('tenant:a', 0)).changes).toBeUndefined();
    expect(store.changes.get('tenant:a')).toBe(1);
    expect(lines.filter((line) => line.includes('unreachable'))).toHaveLength(1);
  });
});
