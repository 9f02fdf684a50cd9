import { Catalogue } from '../src/catalogue';
import { SimClock, SimulatorControl } from '../src/simulator-control';

/** A fixed moment for tests; never the real clock. */
export const T0 = new Date('2026-03-02T01:07:00.000Z');

/** A clock that moves only when told to. */
export class ManualClock implements SimClock {
  constructor(
    private wall = T0.getTime(),
    private monotonic = 1_000_000,
  ) {}

  wallMs(): number {
    return this.wall;
  }

  monotonicMs(): number {
    return this.monotonic;
  }

  advance(ms: number): void {
    this.wall += ms;
    this.monotonic += ms;
  }
}

/** A control object on a manual clock, pinned nowhere: simulated now is T0 until the clock moves. */
export function makeControl(overrides: { seed?: number; clock?: ManualClock } = {}): {
  control: SimulatorControl;
  clock: ManualClock;
} {
  const clock = overrides.clock ?? new ManualClock();
  const seed = overrides.seed ?? 42;
  return { control: new SimulatorControl(seed, new Catalogue(seed), clock), clock };
}

/** `at` shifted by `ms`. */
export function plus(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}

/** Share of the first `n` product ids of `a` that also appear in the first `n` of `b`. */
export function overlap(a: readonly { productId: string }[], b: readonly { productId: string }[], n: number): number {
  const top = new Set(b.slice(0, n).map((item) => item.productId));
  return a.slice(0, n).filter((item) => top.has(item.productId)).length / n;
}

/** Mean absolute change of rank among the products present in both lists. */
export function meanRankShift(
  a: readonly { productId: string; rank: number }[],
  b: readonly { productId: string; rank: number }[],
): number {
  const ranks = new Map(b.map((item) => [item.productId, item.rank]));
  const shifts = a.flatMap((item) => {
    const other = ranks.get(item.productId);
    return other === undefined ? [] : [Math.abs(other - item.rank)];
  });
  return shifts.reduce((sum, shift) => sum + shift, 0) / shifts.length;
}
