import { createHash } from 'node:crypto';
import { BucketPolicy } from './rate-limiter';

/** What is left of a shared bucket after one request. */
export interface TakenToken {
  allowed: boolean;
  /** Tokens left (fractional: the bucket refills continuously). */
  tokens: number;
  /**
   * The changes noted for the bucket's owner and for the operator so far ({@link BucketStore.noteChange}), as one
   * stamp `"<owner's>.<operator's>"`: a new stamp means someone changed something since an older one was read.
   */
  changes: string;
}

/** The bucket key whose changes are every tenant's (the operator's admin key changes data of any tenant). */
export const OPERATOR_BUCKET = 'admin';

/**
 * A change counter lives this long after its last change. It must outlive any answer kept under its value
 * (`API_ANSWER_CACHE_TTL_MS` is at most a minute): a counter that expired and started again from 0 would find
 * answers kept under the old 0.
 */
export const CHANGES_TTL_MS = 24 * 60 * 60 * 1_000;

/** Shared buckets: every gateway replica takes its tokens from the same store. */
export interface BucketStore {
  /**
   * Takes one token of `key`'s bucket if there is one, and reads the changes stamp of its owner in the same step.
   * Rejects (never hangs) when the store cannot answer in time.
   */
  take(key: string, policy: BucketPolicy): Promise<TakenToken>;
  /** Gives `key`'s bucket back one token (at most its burst); a bucket that no longer exists is full already. */
  refund(key: string, policy: BucketPolicy): Promise<void>;
  /** Counts a change by the owner of `key`'s bucket ({@link OPERATOR_BUCKET}: the operator, every tenant's data). */
  noteChange(key: string): Promise<void>;
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
 * It also reads, in the same step, how many changes the bucket's owner and the operator have made (the gateway's kept
 * answers are keyed by them: a change through any replica is seen by every replica's next request).
 * KEYS[1] the bucket, KEYS[2] its owner's change counter, KEYS[3] the operator's; ARGV[1] burst, ARGV[2] refill per
 * minute. Returns {1 or 0, tokens left as a string, "<owner's changes>.<operator's changes>"}.
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
local changes = redis.call('MGET', KEYS[2], KEYS[3])
return {allowed, tostring(tokens), (changes[1] or '0') .. '.' .. (changes[2] or '0')}
`;

/**
 * Gives one token back, refilling first as {@link TOKEN_BUCKET_SCRIPT} does: KEYS[1] the bucket, ARGV[1] burst,
 * ARGV[2] refill per minute. A bucket that has expired was full: nothing to give back.
 */
export const REFUND_SCRIPT = `
local burst = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2]) / 60000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
if not state[1] then
  return 0
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local tokens = math.min(burst, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * per_ms + 1)
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / per_ms) + 1000)
return 1
`;

/** Counts a change: KEYS[1] the counter, ARGV[1] how long it lives after it ({@link CHANGES_TTL_MS}). */
const NOTE_CHANGE_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return n
`;

/** A Lua script and its SHA1, by which Redis runs it once it has seen it. */
interface Script {
  text: string;
  sha: string;
}

function script(text: string): Script {
  return { text, sha: createHash('sha1').update(text).digest('hex') };
}

const TOKEN_BUCKET = script(TOKEN_BUCKET_SCRIPT);
const NOTE_CHANGE = script(NOTE_CHANGE_SCRIPT);
const REFUND = script(REFUND_SCRIPT);

/**
 * Buckets in Redis under `prefix` (`<namespace>:shelfwatch:ratelimit:` for the tenants' request limits, with `auth:`
 * after it for the throttle of unauthenticated requests: test runs and deployments sharing a server never meet).
 * Runs each script by its SHA1 (`EVALSHA`); a server that does not know it yet (fresh,
 * restarted, `SCRIPT FLUSH`) answers NOSCRIPT, and the script is sent once in full (`EVAL` also caches it).
 */
export class RedisBucketStore implements BucketStore {
  constructor(
    private readonly redis: RedisScripting,
    private readonly prefix: string,
  ) {}

  async take(key: string, policy: BucketPolicy): Promise<TakenToken> {
    const keys = [`${this.prefix}${key}`, this.changesKey(key), this.changesKey(OPERATOR_BUCKET)];
    const reply = await this.run(TOKEN_BUCKET, keys, [policy.burst, policy.perMinute]);
    if (!Array.isArray(reply) || reply.length !== 3) {
      throw new Error(`the token bucket script answered ${JSON.stringify(reply)}`);
    }
    const [allowed, tokens, changes] = reply as [unknown, unknown, unknown];
    return { allowed: allowed === 1, tokens: Number(tokens), changes: String(changes) };
  }

  async refund(key: string, policy: BucketPolicy): Promise<void> {
    await this.run(REFUND, [`${this.prefix}${key}`], [policy.burst, policy.perMinute]);
  }

  async noteChange(key: string): Promise<void> {
    await this.run(NOTE_CHANGE, [this.changesKey(key)], [CHANGES_TTL_MS]);
  }

  private async run(script: Script, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) {
        throw error;
      }
      return this.redis.eval(script.text, keys.length, ...keys, ...args);
    }
  }

  private changesKey(key: string): string {
    return `${this.prefix}changes:${key}`;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
