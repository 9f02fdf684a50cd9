/** How strong a secret must be in production. */
export interface SecretStrength {
  /** Fewest characters. */
  minLength: number;
  /** Fewest bits by {@link estimatedBits}. */
  minBits: number;
}

/** Words of placeholders and examples (`changeme`, `dev-secret`, …): a value containing one is not a real secret. */
const PLACEHOLDER_WORDS = ['change', 'example', 'secret', 'password', 'passwd', 'default', 'development', 'admin'];

/**
 * A pessimistic estimate of a value's entropy: its length times the Shannon entropy of its own character
 * frequencies. `aaaa…` scores 0, a repeated word scores low, 48 random hex characters score about 180.
 */
export function estimatedBits(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) {
    counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  const length = [...value].length;
  let perChar = 0;
  for (const count of counts.values()) {
    const p = count / length;
    perChar -= p * Math.log2(p);
  }
  return perChar * length;
}

/** Whether `value` is a shorter text written out again and again (`0123abcd0123abcd…`). */
function isRepetition(value: string): boolean {
  for (let period = 1; period <= value.length / 2; period += 1) {
    if (value.slice(period) === value.slice(0, value.length - period)) {
      return true;
    }
  }
  return false;
}

/**
 * Why `value` is too weak to be a production secret, or null when it is strong enough. The message never
 * contains the value.
 */
export function weakness(value: string, strength: SecretStrength, devDefault?: string): string | null {
  if (devDefault !== undefined && value === devDefault) {
    return 'is the development default and must be replaced in production';
  }
  if ([...value].length < strength.minLength) {
    return `must be at least ${strength.minLength} characters in production`;
  }
  const lower = value.toLowerCase();
  if (PLACEHOLDER_WORDS.some((word) => lower.includes(word))) {
    return 'looks like a placeholder (it contains a word such as "change" or "secret"); generate a random value';
  }
  if (isRepetition(value)) {
    return 'repeats a shorter pattern; generate a random value';
  }
  if (estimatedBits(value) < strength.minBits) {
    return `is too predictable for production (about ${Math.floor(estimatedBits(value))} bits, at least ${strength.minBits} needed); generate it, e.g. openssl rand -hex 32`;
  }
  return null;
}
