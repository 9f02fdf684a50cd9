import { SecretBox, generateSigningSecret } from './secret-box';

describe('sealed webhook secrets', () => {
  it('opens what it sealed, never stores the plain text, and refuses another key', () => {
    const secret = generateSigningSecret();
    const sealed = new SecretBox('key one').seal(secret);
    expect(sealed).not.toContain(secret);
    expect(new SecretBox('key one').open(sealed)).toBe(secret);
    expect(() => new SecretBox('key two').open(sealed)).toThrow();
  });
});
