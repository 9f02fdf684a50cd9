import { RateDecision } from './rate-limiter';

/** Name of the one quota policy the gateway applies: per tenant (the admin key has its own bucket). */
export const RATE_LIMIT_POLICY = 'tenant';

/**
 * The header fields of draft-ietf-httpapi-ratelimit-headers (-10, Structured Fields): `RateLimit-Policy` names
 * the policy with its quota `q` (the bucket: requests at once) and window `w` (seconds in which an empty bucket
 * refills, so `q` per `w` is the sustained rate); `RateLimit` gives what is left `r` and the seconds `t` until the
 * bucket is full again. E.g. `RateLimit-Policy: "tenant";q=100;w=10` and `RateLimit: "tenant";r=42;t=6`.
 */
export function rateLimitHeaders(decision: RateDecision): { 'RateLimit-Policy': string; RateLimit: string } {
  return {
    'RateLimit-Policy': `"${RATE_LIMIT_POLICY}";q=${decision.limit};w=${decision.windowSeconds}`,
    RateLimit: `"${RATE_LIMIT_POLICY}";r=${decision.remaining};t=${decision.resetSeconds}`,
  };
}
