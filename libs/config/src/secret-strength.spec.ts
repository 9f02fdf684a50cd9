import { estimatedBits, weakness } from './secret-strength';

const STRENGTH = { minLength: 32, minBits: 100 };

describe('secret strength', () => {
  it('estimates a single repeated character at zero bits and random hex near four bits a character', () => {
    expect(estimatedBits('x'.repeat(40))).toBe(0);
    expect(estimatedBits('0123456789abcdef'.repeat(2))).toBe(128);
  });

  it('refuses the development default even when it is long', () => {
    const devDefault = 'shelfwatch-development-webhook-secret-key';
    expect(weakness(devDefault, STRENGTH, devDefault)).toContain('development default');
  });

  it('passes a random value', () => {
    expect(weakness('Zx8q1LmN0pR7sT2uV5wY9aB3cD6eF4gH', STRENGTH)).toBeNull();
  });
});
