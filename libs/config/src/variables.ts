import { randomBytes } from 'node:crypto';
import { Secret } from './secret';
import { SecretStrength, weakness } from './secret-strength';

export type { SecretStrength } from './secret-strength';

/** What a variable parser knows about the environment it runs in. */
export interface ParseContext {
  production: boolean;
}

/** One environment variable: its name and how to turn the raw text into a typed value. */
export interface Variable<T> {
  readonly name: string;
  readonly secret: boolean;
  /** Returns the value, or throws an Error whose message explains what is wrong (never the value of a secret). */
  parse(raw: string | undefined, ctx: ParseContext): T;
}

function present(raw: string | undefined): raw is string {
  return raw !== undefined && raw.trim() !== '';
}

/** A string; `fallback` applies when the variable is unset or empty. */
export function text(name: string, fallback?: string): Variable<string> {
  return {
    name,
    secret: false,
    parse(raw) {
      if (present(raw)) {
        return raw.trim();
      }
      if (fallback === undefined) {
        throw new Error('is required');
      }
      return fallback;
    },
  };
}

/** An optional string: unset or empty gives null. */
export function optionalText(name: string): Variable<string | null> {
  return { name, secret: false, parse: (raw) => (present(raw) ? raw.trim() : null) };
}

/** An integer within [min, max]. */
export function integer(name: string, fallback: number, min: number, max: number): Variable<number> {
  return {
    name,
    secret: false,
    parse(raw) {
      if (!present(raw)) {
        return fallback;
      }
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new Error(`must be an integer from ${min} to ${max}, got "${raw}"`);
      }
      return value;
    },
  };
}

/** `true`/`false`/`1`/`0`. */
export function bool(name: string, fallback: boolean): Variable<boolean> {
  return {
    name,
    secret: false,
    parse(raw) {
      if (!present(raw)) {
        return fallback;
      }
      const normalized = raw.trim().toLowerCase();
      if (['true', '1', 'yes'].includes(normalized)) {
        return true;
      }
      if (['false', '0', 'no'].includes(normalized)) {
        return false;
      }
      throw new Error(`must be true or false, got "${raw}"`);
    },
  };
}

/** One of a fixed set of words. */
export function oneOf<const T extends string>(name: string, values: readonly T[], fallback: T): Variable<T> {
  return {
    name,
    secret: false,
    parse(raw) {
      if (!present(raw)) {
        return fallback;
      }
      const value = raw.trim() as T;
      if (!values.includes(value)) {
        throw new Error(`must be one of ${values.join(', ')}, got "${raw}"`);
      }
      return value;
    },
  };
}

/** An absolute URL whose protocol is one of `protocols`. */
export function url(name: string, protocols: string[], fallback?: string): Variable<string> {
  const base = text(name, fallback);
  return {
    name,
    secret: false,
    parse(raw, ctx) {
      const value = base.parse(raw, ctx);
      return checkUrl(value, protocols);
    },
  };
}

function checkUrl(value: string, protocols: string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error('must be an absolute URL');
  }
  if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new Error(`must use ${protocols.join(' or ')}`);
  }
  return value;
}

/** Options of a secret: what to use outside production when it is unset. */
export interface SecretOptions {
  /** A fixed development default (never used in production). */
  devDefault?: string;
  /** Generate a random value outside production (for example an admin key printed once). */
  generateInDev?: boolean;
  /** URL protocols the value must use, when the secret is a connection string. */
  protocols?: string[];
  /**
   * In production, refuse a value shorter or more predictable than this, a placeholder, or the `devDefault`
   * (for keys and tokens; not for connection strings).
   */
  strength?: SecretStrength;
}

/** A secret value with a `generated` flag telling whether it was made up at boot (development only). */
export interface SecretValue {
  value: Secret;
  generated: boolean;
}

function secretValue(raw: string, options: SecretOptions): SecretValue {
  if (options.protocols) {
    checkUrl(raw.trim(), options.protocols);
  }
  return { value: new Secret(raw.trim()), generated: false };
}

/** An optional secret (for example a marketplace credential): unset gives null, in every environment. */
export function secret(name: string, options: Pick<SecretOptions, 'protocols'> = {}): Variable<SecretValue | null> {
  return { name, secret: true, parse: (raw) => (present(raw) ? secretValue(raw, options) : null) };
}

/**
 * A required secret. In production it has no default at all; outside production it may fall back to a
 * development default or a generated value. Error messages never contain its value.
 */
export function requiredSecret(name: string, options: SecretOptions): Variable<SecretValue> {
  return {
    name,
    secret: true,
    parse(raw, ctx) {
      if (present(raw)) {
        const weak =
          ctx.production && options.strength ? weakness(raw.trim(), options.strength, options.devDefault) : null;
        if (weak !== null) {
          throw new Error(weak);
        }
        return secretValue(raw, options);
      }
      if (ctx.production) {
        throw new Error('is a secret and is required in production (no default)');
      }
      if (options.devDefault !== undefined) {
        return { value: new Secret(options.devDefault), generated: false };
      }
      if (options.generateInDev) {
        return { value: new Secret(randomBytes(24).toString('base64url')), generated: true };
      }
      throw new Error('is required');
    },
  };
}

/** A name required in production (a NATS user, say) and optional elsewhere: unset gives null outside production. */
export function requiredInProduction(name: string): Variable<string | null> {
  return {
    name,
    secret: false,
    parse(raw, ctx) {
      if (present(raw)) {
        return raw.trim();
      }
      if (ctx.production) {
        throw new Error('is required in production');
      }
      return null;
    },
  };
}

/** The shape a password must have in production, and how to say it. */
export interface PasswordShape {
  pattern: RegExp;
  description: string;
}

/**
 * A password required in production, where it must also be at least `minLength` characters (and of `shape`, if
 * given); optional elsewhere (unset gives null: development and tests talk to a server without authentication).
 */
export function productionPassword(
  name: string,
  minLength: number,
  shape?: PasswordShape,
): Variable<SecretValue | null> {
  return {
    name,
    secret: true,
    parse(raw, ctx) {
      if (!present(raw)) {
        if (ctx.production) {
          throw new Error('is a secret and is required in production (no default)');
        }
        return null;
      }
      if (ctx.production && raw.trim().length < minLength) {
        throw new Error(`is too weak for production: at least ${minLength} characters`);
      }
      if (ctx.production && shape && !shape.pattern.test(raw.trim())) {
        throw new Error(`must be ${shape.description}`);
      }
      return { value: new Secret(raw.trim()), generated: false };
    },
  };
}
