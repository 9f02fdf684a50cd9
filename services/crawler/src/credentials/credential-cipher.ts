import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Secret } from '@shelfwatch/config';
import type { MarketplaceCredentials } from '../marketplaces/marketplace-adapter';
import type { CredentialKeyRing } from './credential-keys';

/** A credential pair as stored: which key sealed it, and the AES-256-GCM output. */
export interface SealedCredentials {
  keyId: string;
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
}

/** Whose credentials a sealed value is: bound into the ciphertext, so a row copied to another tenant won't open. */
export interface CredentialOwner {
  tenantId: string;
  marketplace: string;
}

/** Why sealed credentials could not be opened (the message never holds key material or plaintext). */
export class CredentialUnreadable extends Error {
  override readonly name = 'CredentialUnreadable';
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
/** Fixed, so a shortened (forgeable) tag is refused rather than accepted. */
const TAG_BYTES = 16;

function additionalData(owner: CredentialOwner): Buffer {
  return Buffer.from(`shelfwatch/crawler/credentials/v1\n${owner.tenantId}\n${owner.marketplace}`, 'utf8');
}

/**
 * Seals a tenant's client id and secret together with AES-256-GCM under the first master key, the tenant and
 * the marketplace as additional data; opens them under whichever key sealed them.
 */
export class CredentialCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  /** The id of the key that seals. */
  readonly primaryKeyId: string;

  constructor(ring: CredentialKeyRing) {
    const [primary] = ring;
    if (!primary) {
      throw new Error('the credential key ring is empty');
    }
    this.primaryKeyId = primary.id;
    this.keys = new Map(ring.map((entry) => [entry.id, Buffer.from(entry.key.reveal(), 'base64')]));
  }

  seal(owner: CredentialOwner, credentials: MarketplaceCredentials): SealedCredentials {
    const key = this.keys.get(this.primaryKeyId);
    if (!key) {
      throw new Error('the primary credential key is missing');
    }
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(owner));
    const plain = JSON.stringify({ id: credentials.clientId.reveal(), secret: credentials.clientSecret.reveal() });
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return { keyId: this.primaryKeyId, ciphertext, iv, authTag: cipher.getAuthTag() };
  }

  /** Throws {@link CredentialUnreadable} when the key is not configured, or the row was altered or moved. */
  open(owner: CredentialOwner, sealed: SealedCredentials): MarketplaceCredentials {
    const key = this.keys.get(sealed.keyId);
    if (!key) {
      throw new CredentialUnreadable(
        `sealed under key "${sealed.keyId}", which CRAWLER_CREDENTIALS_KEYS no longer holds`,
      );
    }
    let plain: string;
    try {
      const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(owner));
      decipher.setAuthTag(sealed.authTag);
      plain = Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new CredentialUnreadable('the stored credentials fail authentication (altered, or not this tenant’s)');
    }
    const parsed = JSON.parse(plain) as { id?: unknown; secret?: unknown };
    if (typeof parsed.id !== 'string' || typeof parsed.secret !== 'string') {
      throw new CredentialUnreadable('the stored credentials are not a client id and secret');
    }
    return { clientId: new Secret(parsed.id), clientSecret: new Secret(parsed.secret) };
  }

  /** Whether a row sealed under `keyId` should be sealed again under the primary key. */
  isStale(keyId: string): boolean {
    return keyId !== this.primaryKeyId;
  }
}
