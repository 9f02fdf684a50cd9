/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/** What replaces a value nested deeper than {@link MAX_DEPTH}: unchecked, so not written. */
export const TRUNCATED = '[TRUNCATED]';

/** Levels of nesting below a log object that are checked; deeper values are replaced by {@link TRUNCATED}. */
export const MAX_DEPTH = 8;

/**
 * Names of keys whose value is a credential wherever they appear, once lower-cased and stripped of
 * everything but letters and digits: `Authorization`, `x-api-key`, `api_key`, `clientSecret`,
 * `refresh_token`, `set-cookie`, `DB_PASSWORD` all match.
 */
const SECRET_KEY = /authorization|password|passwd|secret|apikey|token|cookie|credential|privatekey/;

/**
 * Properties of a database error that hold row values or the statement's parameters: pg's `detail`
 * ("Key (email)=(x) already exists") and `where`, and the `parameters`/`params`/`bindings`/`query`/`sql`
 * that drivers and ORMs attach. Code, constraint, schema, table, column and data type stay.
 */
const ERROR_VALUE_KEYS = new Set([
  'detail',
  'hint',
  'where',
  'internalQuery',
  'parameters',
  'params',
  'bindings',
  'values',
  'query',
  'sql',
]);

/** The password of a URL's user info (`postgres://user:password@host`), in any string. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s/@]*@/gi;

/** A SQLSTATE code (`23505`, `22P02`); pg errors and the ORM exceptions that wrap them carry it with a severity. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Whether a key's value is a credential, whatever its case or separators. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/**
 * `value` with every secret-named key redacted at any depth, the password of every URL in a string redacted,
 * errors serialized by {@link serializeError}, cycles written `[Circular]` and anything deeper than
 * {@link MAX_DEPTH} truncated. Walks plain objects and arrays (copied only where something changes: the
 * caller's object is never modified); other class instances are left to their serializer or `toJSON`.
 */
export function redactSecrets(value: unknown): unknown {
  return redact(value, 0, []);
}

/**
 * An error as a log object: type, message and stack without values, its own properties (secrets redacted)
 * except those that carry row values or statement parameters, and its `cause`. A database error's message
 * loses the detail an ORM appends to it and, for data exceptions (SQLSTATE class 22, whose messages quote
 * the offending input), every quoted value.
 */
export function serializeError(error: Error): Record<string, unknown> {
  return serialize(error, 0, []);
}

/** `text` without the password of any URL in it (a connection string in an error message, a config value). */
export function redactUrlPasswords(text: string): string {
  return text.includes('@') && text.includes('://') ? text.replace(URL_PASSWORD, `$1:${REDACTED}@`) : text;
}

function redact(value: unknown, depth: number, ancestors: object[]): unknown {
  if (typeof value === 'string') {
    return redactUrlPasswords(value);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if (ancestors.includes(value)) {
    return '[Circular]';
  }
  if (value instanceof Error) {
    return serialize(value, depth, ancestors);
  }
  if (!Array.isArray(value) && !isPlainObject(value)) {
    return value;
  }
  if (depth >= MAX_DEPTH) {
    return TRUNCATED;
  }
  ancestors.push(value);
  try {
    return Array.isArray(value) ? redactArray(value, depth, ancestors) : redactRecord(value, depth, ancestors);
  } finally {
    ancestors.pop();
  }
}

function redactArray(array: unknown[], depth: number, ancestors: object[]): unknown[] {
  let copy: unknown[] | null = null;
  array.forEach((item, index) => {
    const redacted = redact(item, depth + 1, ancestors);
    if (redacted !== item) {
      copy ??= [...array];
      copy[index] = redacted;
    }
  });
  return copy ?? array;
}

function redactRecord(record: Record<string, unknown>, depth: number, ancestors: object[]): Record<string, unknown> {
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const redacted = item !== undefined && isSecretKey(key) ? REDACTED : redact(item, depth + 1, ancestors);
    if (redacted !== item) {
      copy ??= { ...record };
      copy[key] = redacted;
    }
  }
  return copy ?? record;
}

function serialize(error: Error, depth: number, ancestors: object[]): Record<string, unknown> {
  const type = error.constructor.name || error.name;
  const message = safeMessage(error);
  const out: Record<string, unknown> = { type, message, stack: safeStack(error.stack, `${type}: ${message}`) };
  ancestors.push(error);
  try {
    const record = error as unknown as Record<string, unknown>;
    for (const key of Object.keys(error)) {
      if (!ERROR_VALUE_KEYS.has(key) && !(key in out) && record[key] !== undefined) {
        out[key] = isSecretKey(key) ? REDACTED : redact(record[key], depth + 1, ancestors);
      }
    }
    if (error.cause !== undefined) {
      out.cause = redact(error.cause, depth + 1, ancestors);
    }
    if (error instanceof AggregateError) {
      out.errors = redact(error.errors, depth + 1, ancestors);
    }
    return out;
  } finally {
    ancestors.pop();
  }
}

function safeMessage(error: Error): string {
  // MikroORM appends pg's `detail` and `hint` (with the row's values) to the message of the error it wraps.
  const message = redactUrlPasswords(error.message.split('\n - detail: ')[0]?.split('\n - hint: ')[0] ?? '');
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  const isDataException = typeof code === 'string' && SQLSTATE.test(code) && code.startsWith('22');
  return isDataException && typeof severity === 'string' ? message.replace(/"[^"]*"/g, `"${REDACTED}"`) : message;
}

/** The stack's frames under a header rebuilt from the safe message (the original header repeats the message). */
function safeStack(stack: string | undefined, header: string): string | undefined {
  if (stack === undefined) {
    return undefined;
  }
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return [header, ...frames].join('\n');
}

/**
 * Data rather than an instance of a class: made by a literal, `Object.create(null)` or `Object.create(proto)`
 * of such a prototype (query-string parsers and pino's serializers make those). A class's prototype has an
 * own `constructor`.
 */
function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === null || prototype === Object.prototype) {
    return true;
  }
  return !Object.prototype.hasOwnProperty.call(prototype, 'constructor') && isPlainObject(prototype);
}
