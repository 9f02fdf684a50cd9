/** How an outage shows: the connection is reset without an answer, or a load balancer answers 503. */
export type OutageMode = 'reset' | 'unavailable';

/** The faults switched on at run time. Everything off is a healthy marketplace. */
export interface Faults {
  /** Added before every search answer (and before an outage drops the connection). */
  readonly latencyMs: number;
  /** Share of otherwise good requests answered 500 SE99, drawn from a seeded sequence. */
  readonly errorRate: number;
  /** Requests per rolling second per client id; beyond it 429 `012`. Null: unlimited. */
  readonly throttlePerSecond: number | null;
  /** Requests per client id per simulated Korean day; beyond it 429 `010`. Null: unlimited. */
  readonly dailyQuota: number | null;
  /** False, or how the marketplace is down. */
  readonly outage: false | OutageMode;
  /** Answer error bodies with HTTP 200, as some Naver clients report seeing. */
  readonly errorsAs200: boolean;
  /** Client ids answered 401 `024` (Invalid Client Secret), as Naver answers wrong or revoked credentials. */
  readonly rejectedClientIds: readonly string[];
}

/** A partial update of {@link Faults}; `outage: true` means `'reset'`. */
export type FaultPatch = Partial<Omit<Faults, 'outage'>> & { readonly outage?: boolean | OutageMode };

/** Thrown for a control request (faults, clock) that makes no sense; the control endpoints answer it with 400. */
export class ControlInputError extends Error {
  override readonly name = 'ControlInputError';
}

/** No faults at all. */
export const NO_FAULTS: Faults = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  throttlePerSecond: null,
  dailyQuota: null,
  outage: false,
  errorsAs200: false,
  rejectedClientIds: [],
});

function numberIn(name: string, value: unknown, min: number, max: number, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ControlInputError(`${name} must be a number from ${min} to ${max}`);
  }
  if (integer && !Number.isInteger(value)) {
    throw new ControlInputError(`${name} must be an integer`);
  }
  return value;
}

function limitOrNull(name: string, value: unknown): number | null {
  return value === null ? null : numberIn(name, value, 0, 1_000_000_000, true);
}

function outageOf(value: unknown): false | OutageMode {
  if (value === false || value === true || value === 'reset' || value === 'unavailable') {
    return value === true ? 'reset' : value;
  }
  throw new ControlInputError('outage must be true, false, "reset" or "unavailable"');
}

function clientIdsOf(value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.length > 1_000 || !value.every((id) => typeof id === 'string' && id !== '')) {
    throw new ControlInputError('rejectedClientIds must be a list of at most 1000 non-empty strings');
  }
  return Object.freeze([...(value as string[])]);
}

/** Validates an untrusted JSON patch (the body of `POST /_sim/faults`) and applies it to `current`. */
export function applyFaultPatch(current: Faults, patch: unknown): Faults {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new ControlInputError('expected a JSON object');
  }
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    next[key] = fieldValue(key, value);
  }
  return Object.freeze(next) as unknown as Faults;
}

function fieldValue(key: string, value: unknown): unknown {
  switch (key) {
    case 'latencyMs':
      return numberIn(key, value, 0, 600_000, true);
    case 'errorRate':
      return numberIn(key, value, 0, 1, false);
    case 'throttlePerSecond':
    case 'dailyQuota':
      return limitOrNull(key, value);
    case 'outage':
      return outageOf(value);
    case 'rejectedClientIds':
      return clientIdsOf(value);
    case 'errorsAs200':
      if (typeof value !== 'boolean') {
        throw new ControlInputError('errorsAs200 must be true or false');
      }
      return value;
    default:
      throw new ControlInputError(`unknown fault "${key}"`);
  }
}
