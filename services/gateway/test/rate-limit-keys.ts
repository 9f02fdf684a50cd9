import { Redis } from 'ioredis';
import { bucketPrefix } from '../src/limits/tenant-limits';

/** The machine's Redis (127.0.0.1:6379, as Postgres and NATS); a test's keys live under its namespace. */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** Deletes the rate limit's keys of a test namespace: the token buckets and the change counters (kept a day). */
export async function dropRateLimitKeys(namespace: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  await redis.connect();
  try {
    const keys = await redis.keys(`${bucketPrefix(namespace)}*`);
    if (keys.length > 0) {
      await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
}
