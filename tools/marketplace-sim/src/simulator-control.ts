import { Catalogue, ShelfFilter, SortOrder } from './catalogue';
import { applyFaultPatch, Faults, ControlInputError, NO_FAULTS, OutageMode } from './faults';
import { filteredEntries, toTruthItem, TruthItem } from './ground-truth';
import { NaverError } from './naver-format';
import { hashInts, unit } from './prng';
import { ServedLog } from './served-log';

/** Where the simulator reads real time: wall clock for simulated time, monotonic clock for rate windows. */
export interface SimClock {
  wallMs(): number;
  monotonicMs(): number;
}

/** The process clocks. */
export const SYSTEM_CLOCK: SimClock = { wallMs: () => Date.now(), monotonicMs: () => performance.now() };

/** Simulated time as `GET /_sim/clock` reports it. */
export interface ClockState {
  readonly now: string;
  readonly pinned: boolean;
  readonly offsetMs: number;
}

/** Requests seen per client id, by answered status ("0" is a dropped connection). */
export interface SimStats {
  total: number;
  clients: Record<string, { requests: number; byStatus: Record<string, number> }>;
  /** Requests per query text (lower-cased, trimmed), for "this keyword cost one request" assertions. */
  queries: Record<string, number>;
}

/** One search request as the simulator saw it (`GET /_sim/requests`). */
export interface SimRequest {
  /** When it arrived, on the real clock (not the simulated one), ISO 8601 with milliseconds. */
  readonly at: string;
  readonly clientId: string;
  readonly query: string | null;
  /** The status it was answered with; 0: the connection was dropped. */
  readonly status: number;
  /** Naver's error code of the answer (`010`, `012`, ...), null for a result. */
  readonly errorCode: string | null;
}

/** What to do with one search request after the faults have had their say. */
export type Admission = { kind: 'serve' } | { kind: 'outage'; mode: OutageMode } | { kind: 'error'; error: NaverError };

/** The key under which requests without a client id are counted. */
export const ANONYMOUS = '(none)';
const DAY_MS = 86_400_000;
/** Naver's daily quota resets at midnight Korea time. */
const KST_OFFSET_MS = 9 * 3_600_000;
/** Bounds the per-query counters of a long local run; tests and benchmarks stay far below. */
const MAX_QUERY_KEYS = 100_000;
/** The request log keeps the latest requests only. */
const MAX_LOGGED_REQUESTS = 20_000;

/**
 * The run-time state of one simulator: simulated clock, faults, quota and throttle counters, statistics.
 * The HTTP control endpoints and in-process tests drive the same object.
 */
export class SimulatorControl {
  #faults: Faults = NO_FAULTS;
  #pinnedMs: number | null = null;
  #offsetMs = 0;
  #errorDraws = 0;
  #quota = new Map<string, { day: number; count: number }>();
  #windows = new Map<string, number[]>();
  #stats: Omit<SimStats, 'queries'> = { total: 0, clients: {} };
  #queries = new Map<string, number>();
  #prices = new Map<string, number>();
  #log: SimRequest[] = [];
  /** Every successful search answer, when enabled (`GET /_sim/served`). */
  readonly served = new ServedLog();

  constructor(
    readonly seed: number,
    readonly catalogue: Catalogue,
    private readonly clock: SimClock = SYSTEM_CLOCK,
  ) {}

  /** Current simulated time: pinned, or the real clock plus the offset. */
  now(): Date {
    return new Date(this.#pinnedMs ?? this.clock.wallMs() + this.#offsetMs);
  }

  /** The simulated clock's state. */
  clockState(): ClockState {
    return { now: this.now().toISOString(), pinned: this.#pinnedMs !== null, offsetMs: this.#offsetMs };
  }

  /** Applies `{now: ISO | null}` (pin / unpin) and/or `{offsetMs}` (shift the unpinned clock). */
  setClock(body: unknown): ClockState {
    const { now, offsetMs } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (now !== undefined) {
      const pinned = now === null ? null : typeof now === 'string' ? Date.parse(now) : Number.NaN;
      if (pinned !== null && Number.isNaN(pinned)) {
        throw new ControlInputError('now must be an ISO-8601 date-time or null');
      }
      this.#pinnedMs = pinned;
    }
    if (offsetMs !== undefined) {
      if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs)) {
        throw new ControlInputError('offsetMs must be a number');
      }
      this.#offsetMs = offsetMs;
    }
    return this.clockState();
  }

  /** The faults in force. */
  faults(): Faults {
    return this.#faults;
  }

  /** Validates and applies a partial fault update; throws {@link ControlInputError} naming a bad field. */
  setFaults(patch: unknown): Faults {
    this.#faults = applyFaultPatch(this.#faults, patch);
    return this.#faults;
  }

  /**
   * Pins one product's price (`{productId, price}`; `price: null` unpins) on every shelf it appears on, so
   * that a test can make a competitor undercut a seller and clear it again. The price sort orders ignore pins.
   */
  setPrice(body: unknown): Record<string, number> {
    const { productId, price } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof productId !== 'string' || productId === '') {
      throw new ControlInputError('productId must be a non-empty string');
    }
    if (price === null) {
      this.#prices.delete(productId);
    } else if (typeof price === 'number' && Number.isInteger(price) && price >= 0) {
      this.#prices.set(productId, price);
    } else {
      throw new ControlInputError('price must be a non-negative integer or null');
    }
    return this.prices();
  }

  /** The pinned prices by product id. */
  prices(): Record<string, number> {
    return Object.fromEntries(this.#prices);
  }

  /** An item with its pinned price, if any. */
  priced(item: TruthItem): TruthItem {
    const pinned = this.#prices.get(item.productId);
    return pinned === undefined ? item : { ...item, lprice: pinned };
  }

  /** Clears faults, counters, statistics, the served log, the clock and pinned prices. */
  reset(): void {
    this.#prices.clear();
    this.#faults = NO_FAULTS;
    this.#pinnedMs = null;
    this.#offsetMs = 0;
    this.#errorDraws = 0;
    this.#quota.clear();
    this.#windows.clear();
    this.#stats = { total: 0, clients: {} };
    this.#queries.clear();
    this.#log = [];
    this.served.clear();
  }

  /** The real clock's time, for stamping arrivals in the request log. */
  wallMs(): number {
    return this.clock.wallMs();
  }

  /** The latest search requests, oldest first, each with its arrival time, client id and answer. */
  requests(): SimRequest[] {
    return [...this.#log];
  }

  /** A copy of the request statistics. */
  stats(): SimStats {
    return { ...structuredClone(this.#stats), queries: Object.fromEntries(this.#queries) };
  }

  /** The full ranked list at `at` (default: simulated now); equals `groundTruth(seed, …)`. */
  truth(query: string, at: Date = this.now(), sort: SortOrder = 'sim', filter: ShelfFilter = {}): TruthItem[] {
    const shelf = this.catalogue.shelf(query, at.getTime(), sort);
    return filteredEntries(shelf, filter).map((entry, i) => this.priced(toTruthItem(entry, i + 1, shelf)));
  }

  /**
   * Decides a search request's fate, in the order a real gateway would: outage, authentication, daily quota,
   * per-second throttle, then random server errors.
   */
  admit(clientId: string | undefined, clientSecret: string | undefined): Admission {
    if (this.#faults.outage !== false) {
      return { kind: 'outage', mode: this.#faults.outage };
    }
    if (clientId === undefined || clientId === '') {
      return { kind: 'error', error: { kind: 'auth', missing: 'id' } };
    }
    if (clientSecret === undefined || clientSecret === '' || this.#faults.rejectedClientIds.includes(clientId)) {
      return { kind: 'error', error: { kind: 'auth', missing: 'secret' } };
    }
    const quota = this.#countQuota(clientId);
    if (quota !== null) {
      return { kind: 'error', error: quota };
    }
    if (!this.#withinThrottle(clientId)) {
      return { kind: 'error', error: { kind: 'throttled' } };
    }
    return this.#drawsError() ? { kind: 'error', error: { kind: 'SE99' } } : { kind: 'serve' };
  }

  /** Counts one answered (or dropped: status 0) request, and logs it with its arrival time (real clock, ms). */
  record(
    clientId: string | undefined,
    query: string | undefined,
    status: number,
    arrival: { atMs: number; errorCode: string | null } = { atMs: this.clock.wallMs(), errorCode: null },
  ): void {
    const key = clientId === undefined || clientId === '' ? ANONYMOUS : clientId;
    this.#log.push({
      at: new Date(arrival.atMs).toISOString(),
      clientId: key,
      query: query ?? null,
      status,
      errorCode: arrival.errorCode,
    });
    if (this.#log.length > MAX_LOGGED_REQUESTS) {
      this.#log.splice(0, this.#log.length - MAX_LOGGED_REQUESTS);
    }
    const client = (this.#stats.clients[key] ??= { requests: 0, byStatus: {} });
    client.requests += 1;
    client.byStatus[status] = (client.byStatus[status] ?? 0) + 1;
    this.#stats.total += 1;
    const text = query?.trim().toLowerCase().split(/\s+/u).join(' ');
    if (text !== undefined && text !== '') {
      const known = this.#queries.get(text);
      if (known !== undefined || this.#queries.size < MAX_QUERY_KEYS) {
        this.#queries.set(text, (known ?? 0) + 1);
      }
    }
  }

  /** Counts the request against its client's simulated day; the 010 error once the count passes the quota. */
  #countQuota(clientId: string): NaverError | null {
    const day = Math.floor((this.now().getTime() + KST_OFFSET_MS) / DAY_MS);
    const used = this.#quota.get(clientId);
    const count = used !== undefined && used.day === day ? used.count + 1 : 1;
    this.#quota.set(clientId, { day, count });
    const quota = this.#faults.dailyQuota;
    return quota !== null && count > quota ? { kind: 'quota', count, quota } : null;
  }

  /** Rolling one-second window of admitted requests; refused ones do not extend the penalty. */
  #withinThrottle(clientId: string): boolean {
    const limit = this.#faults.throttlePerSecond;
    if (limit === null) {
      return true;
    }
    const now = this.clock.monotonicMs();
    const recent = (this.#windows.get(clientId) ?? []).filter((at) => now - at < 1_000);
    const allowed = recent.length < limit;
    if (allowed) {
      recent.push(now);
    }
    this.#windows.set(clientId, recent);
    return allowed;
  }

  /** The n-th draw of a seeded sequence, so "errorRate 0.3" fails the same requests on every run. */
  #drawsError(): boolean {
    const rate = this.#faults.errorRate;
    if (rate <= 0) {
      return false;
    }
    this.#errorDraws += 1;
    return unit(hashInts(this.seed, this.#errorDraws, 99)) < rate;
  }
}
