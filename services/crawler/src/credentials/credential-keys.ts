import { createHash } from 'node:crypto';
import { Secret, Variable, weakness } from '@shelfwatch/config';

/** One master key of the credential store: its id (stored with every row it seals) and its 32 bytes (base64). */
export interface CredentialKey {
  id: string;
  key: Secret;
}

/** The master keys, in order: the first seals, every one opens (rotation: a new key goes first). */
export type CredentialKeyRing = readonly CredentialKey[];

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const KEY_BYTES = 32;

/** The fixed key used outside production when the variable is unset, so a restart can still read what it stored. */
export const DEVELOPMENT_CREDENTIALS_KEY = `dev:${createHash('sha256')
  .update('shelfwatch-development-credentials-key')
  .digest('base64')}`;

function keyOf(entry: string, index: number): { id: string; bytes: Buffer; text: string } {
  const at = entry.indexOf(':');
  const id = entry.slice(0, at).trim();
  const text = entry.slice(at + 1).trim();
  if (at < 0 || !KEY_ID.test(id)) {
    throw new Error(`entry ${index + 1} must be id:base64key with an id of 1 to 32 letters, digits, _ or -`);
  }
  const bytes = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) || bytes.length !== KEY_BYTES) {
    throw new Error(
      `key "${id}" must be ${KEY_BYTES} bytes in base64 (e.g. ${id}:$(openssl rand -base64 ${KEY_BYTES}))`,
    );
  }
  return { id, bytes, text };
}

const DEVELOPMENT_BYTES = keyOf(DEVELOPMENT_CREDENTIALS_KEY, 0).bytes;

/** Why a production key is unfit, or null; judged on its bytes (as hex), never echoing them. */
function productionWeakness(bytes: Buffer): string | null {
  if (bytes.equals(DEVELOPMENT_BYTES)) {
    return 'is the development key and must be replaced in production';
  }
  return weakness(bytes.toString('hex'), { minLength: 64, minBits: 128 });
}

/** Parses `id:base64key,...`; throws naming the bad entry or key id, never a key. */
export function parseKeyRing(raw: string, production: boolean): CredentialKeyRing {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const keys = entries.map(keyOf);
  const ids = keys.map((key) => key.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) {
    throw new Error(`names key "${duplicate}" twice`);
  }
  for (const key of production ? keys : []) {
    const weak = productionWeakness(key.bytes);
    if (weak !== null) {
      throw new Error(`key "${key.id}" ${weak}`);
    }
  }
  if (keys.length === 0) {
    throw new Error('must hold at least one id:base64key');
  }
  return Object.freeze(keys.map((key) => Object.freeze({ id: key.id, key: new Secret(key.text) })));
}

/**
 * The master keys that seal tenants' marketplace credentials at rest: `id:base64key,...`, the first seals and
 * every one opens. Required in production, where the development key and weak keys are refused; unset
 * elsewhere gives a fixed development key. Messages name the variable and key ids, never a key.
 */
export function credentialKeys(name: string): Variable<CredentialKeyRing> {
  return {
    name,
    secret: true,
    parse(raw, ctx) {
      if (raw === undefined || raw.trim() === '') {
        if (ctx.production) {
          throw new Error('is a secret and is required in production (no default); e.g. k1:$(openssl rand -base64 32)');
        }
        return parseKeyRing(DEVELOPMENT_CREDENTIALS_KEY, false);
      }
      return parseKeyRing(raw, ctx.production);
    },
  };
}
