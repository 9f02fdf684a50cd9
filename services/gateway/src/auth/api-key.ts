import { createHash, timingSafeEqual } from 'node:crypto';

/** Prefixes of the keys: production keys are `sw_live_`, every other environment issues `sw_test_`. */
export const KEY_PREFIXES = ['sw_live_', 'sw_test_'] as const;

const LOOKUP_LENGTH = 12;
const SECRET_LENGTH = 52;
const BODY = new RegExp(`^[0-9a-f]{${LOOKUP_LENGTH + SECRET_LENGTH}}$`);

/** A freshly issued key: the text shown once, and what is stored. */
export interface IssuedKey {
  /** The whole key, shown to the caller once and never stored. */
  plaintext: string;
  /** Public part that finds the stored row (also shown in key listings). */
  lookup: string;
  hash: Buffer;
}

/**
 * SHA-256 of the whole key. A fast hash is right here: keys carry 256 bits from a CSPRNG, so there is
 * nothing to brute-force that a slow password hash would protect.
 */
export function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Builds a key from 32 random bytes: prefix, 12 hex of lookup, 52 hex of secret. */
export function issueKey(randomBytes: Buffer, production: boolean): IssuedKey {
  if (randomBytes.length < 32) {
    throw new Error('an API key needs 32 random bytes');
  }
  const body = randomBytes.toString('hex').slice(0, LOOKUP_LENGTH + SECRET_LENGTH);
  const plaintext = `${production ? KEY_PREFIXES[0] : KEY_PREFIXES[1]}${body}`;
  return { plaintext, lookup: body.slice(0, LOOKUP_LENGTH), hash: hashKey(plaintext) };
}

/** The lookup part of a presented key, or null when it does not have the shape of one of ours. */
export function lookupOf(presented: string): string | null {
  const prefix = KEY_PREFIXES.find((candidate) => presented.startsWith(candidate));
  if (!prefix) {
    return null;
  }
  const body = presented.slice(prefix.length);
  return BODY.test(body) ? body.slice(0, LOOKUP_LENGTH) : null;
}

/** Constant-time comparison of a presented key with a stored hash. */
export function keyMatches(presented: string, storedHash: Buffer): boolean {
  const hash = hashKey(presented);
  return hash.length === storedHash.length && timingSafeEqual(hash, storedHash);
}

/** The key of an `Authorization: Bearer <key>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}
