import { randomBytes } from 'node:crypto';
import { Secret } from '@shelfwatch/config';
import { CredentialCipher, CredentialUnreadable, SealedCredentials } from './credential-cipher';
import { CredentialKeyRing, parseKeyRing } from './credential-keys';

const TENANT = '6f1d2c3b-4a59-4e68-9d7c-0b1a2c3d4e5f';
const OTHER_TENANT = '0c9b8a7d-6e5f-4a3b-8c1d-2e3f4a5b6c7d';
const owner = { tenantId: TENANT, marketplace: 'naver' };
const credentials = { clientId: new Secret('client-id-of-tenant-a'), clientSecret: new Secret('s3cr3t-of-tenant-a') };

function ring(...ids: string[]): CredentialKeyRing {
  return parseKeyRing(ids.map((id) => `${id}:${randomBytes(32).toString('base64')}`).join(','), false);
}

function revealed(opened: { clientId: Secret; clientSecret: Secret }): [string, string] {
  return [opened.clientId.reveal(), opened.clientSecret.reveal()];
}

function flipped(buffer: Buffer, at = 0): Buffer {
  const copy = Buffer.from(buffer);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

describe('CredentialCipher', () => {
  const keys = ring('k1');
  const cipher = new CredentialCipher(keys);

  it('opens what it sealed, and the sealed bytes hold neither the id nor the secret', () => {
    const sealed = cipher.seal(owner, credentials);

    expect(revealed(cipher.open(owner, sealed))).toEqual(['client-id-of-tenant-a', 's3cr3t-of-tenant-a']);
    expect(sealed.keyId).toBe('k1');
    const stored = Buffer.concat([sealed.ciphertext, sealed.iv, sealed.authTag]).toString('latin1');
    expect(stored).not.toContain('client-id-of-tenant-a');
    expect(stored).not.toContain('s3cr3t-of-tenant-a');
  });

  it('seals the same credentials differently each time (a fresh IV)', () => {
    const first = cipher.seal(owner, credentials);
    const second = cipher.seal(owner, credentials);

    expect(first.iv.equals(second.iv)).toBe(false);
    expect(first.ciphertext.equals(second.ciphertext)).toBe(false);
  });

  it('refuses a row moved to another tenant or marketplace (the owner is bound in)', () => {
    const sealed = cipher.seal(owner, credentials);

    expect(() => cipher.open({ tenantId: OTHER_TENANT, marketplace: 'naver' }, sealed)).toThrow(CredentialUnreadable);
    expect(() => cipher.open({ tenantId: TENANT, marketplace: 'coupang' }, sealed)).toThrow(CredentialUnreadable);
  });

  it.each<[string, (sealed: SealedCredentials) => SealedCredentials]>([
    ['a flipped ciphertext bit', (sealed) => ({ ...sealed, ciphertext: flipped(sealed.ciphertext, 3) })],
    ['a flipped tag bit', (sealed) => ({ ...sealed, authTag: flipped(sealed.authTag) })],
    ['a shortened tag', (sealed) => ({ ...sealed, authTag: sealed.authTag.subarray(0, 4) })],
    ['another IV', (sealed) => ({ ...sealed, iv: flipped(sealed.iv) })],
  ])('refuses %s', (_what, tamper) => {
    expect(() => cipher.open(owner, tamper(cipher.seal(owner, credentials)))).toThrow(CredentialUnreadable);
  });

  it('never puts the credentials in an error', () => {
    const sealed = cipher.seal(owner, credentials);
    try {
      cipher.open({ tenantId: OTHER_TENANT, marketplace: 'naver' }, sealed);
    } catch (error) {
      expect(String(error)).not.toMatch(/tenant-a/);
    }
    expect.assertions(1);
  });

  it('rotates: a new first key seals, the old one still opens, and without it old rows are unreadable', () => {
    const old = ring('k1');
    const sealedUnderOld = new CredentialCipher(old).seal(owner, credentials);
    const rotated = new CredentialCipher([...ring('k2'), ...old]);

    expect(rotated.isStale(sealedUnderOld.keyId)).toBe(true);
    expect(revealed(rotated.open(owner, sealedUnderOld))).toEqual(['client-id-of-tenant-a', 's3cr3t-of-tenant-a']);
    const resealed = rotated.seal(owner, rotated.open(owner, sealedUnderOld));
    expect(resealed.keyId).toBe('k2');
    expect(rotated.isStale(resealed.keyId)).toBe(false);

    const withoutOld = new CredentialCipher([...ring('k2')]);
    expect(() => withoutOld.open(owner, sealedUnderOld)).toThrow(/key "k1"/);
  });

  it('refuses a key of the same id but other bytes', () => {
    const sealed = new CredentialCipher(ring('k1')).seal(owner, credentials);

    expect(() => new CredentialCipher(ring('k1')).open(owner, sealed)).toThrow(CredentialUnreadable);
  });
});
