import { inspect } from 'node:util';

const REDACTED = '[REDACTED]';

/**
 * A configuration value that must never reach a log, an error message or a serialized object.
 * Only {@link Secret.reveal} gives the value back; every other way of turning it into text says `[REDACTED]`.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The real value, for the one place that needs it (a connection, a signature). */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
