import { createHash } from 'node:crypto';
import { BucketPolicy } from './rate-limiter';

/** What is left of a shared bucket after one request. */
export interface TakenToken {
  allowed: boolean;
  /** Tokens left (fractional: the bucket refills continuously). */
  tokens: number;
}

/** Shared buckets: every gateway replica takes its tokens from the same store. */
export interface BucketStore {
  /** Takes one token of `key`'s bucket if there is one. Rejects (never hangs) when the store cannot answer in time. */
  take(key: string, policy: BucketPolicy): Promise<TakenToken>;
  /** Resolves when the store answers again (used to end an outage). */
  ping(): Promise<void>;
}

/** The subset of an ioredis client this store uses. */
export interface RedisScripting {
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  ping(): Promise<unknown>;
}

/**
 * The token bucket in one Lua script, so that reading, refilling and taking are one atomic step however many
 * replicas call at once. The time is Redis's (`TIME`): the replicas' clocks may disagree, the server's is one.
 * The bucket is a hash {tokens, at}; it expires when it would be full again, so an idle key costs nothing.
 * KEYS[1] the bucket; ARGV[1] burst, ARGV[2] refill per minute. Returns {1 or 0, tokens left as a string}.
 */
export const TOKEN_BUCKET_SCRIPT = `
local burst = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2]) / 60000
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * per_ms)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / per_ms) + 1000)
return {allowed, tostring(tokens)}
`;

const SCRIPT_SHA = createHash('sha1').update(TOKEN_BUCKET_SCRIPT).digest('hex');

/**
 * Buckets in Redis under `prefix` (`<namespace>:ratelimit:` by default, so test runs and deployments sharing a
 * server never meet). Runs the script by its SHA1 (`EVALSHA`); a server that does not know it yet (fresh, restarted,
 * `SCRIPT FLUSH`) answers NOSCRIPT, and the script is sent once in full (`EVAL` also caches it).
 */
export class RedisBucketStore implements BucketStore {
  constructor(
    private readonly redis: RedisScripting,
    private readonly prefix: string,
  ) {}

  async take(key: string, policy: BucketPolicy): Promise<TakenToken> {
    const args = [`${this.prefix}${key}`, policy.burst, policy.perMinute] as const;
    let reply: unknown;
    try {
      reply = await this.redis.evalsha(SCRIPT_SHA, 1, ...args);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) {
        throw error;
      }
      reply = await this.redis.eval(TOKEN_BUCKET_SCRIPT, 1, ...args);
    }
    if (!Array.isArray(reply) || reply.length !== 2) {
      throw new Error(`the token bucket script answered ${JSON.stringify(reply)}`);
    }
    const [allowed, tokens] = reply as [unknown, unknown];
    return { allowed: allowed === 1, tokens: Number(tokens) };
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
