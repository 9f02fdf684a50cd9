import { bearerToken, hashKey, issueKey, keyMatches, lookupOf } from './api-key';

const bytes = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');

describe('API keys', () => {
  it('issue a prefixed key whose lookup finds it and whose hash matches it', () => {
    const key = issueKey(bytes, true);
    expect(key.plaintext).toBe(`sw_live_${bytes.toString('hex').slice(0, 64)}`);
    expect(lookupOf(key.plaintext)).toBe(key.lookup);
    expect(keyMatches(key.plaintext, key.hash)).toBe(true);
    expect(issueKey(bytes, false).plaintext.startsWith('sw_test_')).toBe(true);
  });

  it('refuse keys of the wrong shape and keys whose secret part differs', () => {
    const key = issueKey(bytes, true);
    expect(lookupOf('sw_live_short')).toBeNull();
    expect(lookupOf(`xx_live_${key.plaintext.slice(8)}`)).toBeNull();
    const tampered = `${key.plaintext.slice(0, -1)}${key.plaintext.endsWith('0') ? '1' : '0'}`;
    expect(lookupOf(tampered)).toBe(key.lookup);
    expect(keyMatches(tampered, key.hash)).toBe(false);
    expect(keyMatches(key.plaintext, hashKey('other'))).toBe(false);
  });

  it('read the bearer token of an Authorization header', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
