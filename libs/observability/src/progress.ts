/** Where a long job stands: how much is done of how much (null when unknown), over how long. */
export interface ProgressState {
  done: number;
  total: number | null;
  elapsedMs: number;
}

/** How often a {@link ProgressReporter} prints by default: often enough to see it move, rarely enough to read. */
export const PROGRESS_EVERY_MS = 5_000;

const count = new Intl.NumberFormat('en-US');

/** `12.3 s`, `4 min 05 s`: a duration as a person reads it. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1_000;
  if (seconds < 60) {
    return `${seconds.toFixed(1)} s`;
  }
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

/** A rate as a person reads it: whole numbers from 10 on, one decimal below (a slow job still shows it moves). */
function formatRate(rate: number): string {
  return rate >= 10 ? count.format(Math.round(rate)) : rate.toFixed(1);
}

/** Items per second so far; 0 before any time has passed. */
export function progressRate(state: ProgressState): number {
  return state.elapsedMs > 0 ? (state.done * 1_000) / state.elapsedMs : 0;
}

/**
 * One progress line: `replay SHELFWATCH_CRAWL: 1,234/5,000 (24.7 %), 410/s, about 9.2 s left`. Without a total
 * it says what is done and how fast; the time left is given only once there is a rate to go by.
 */
export function describeProgress(label: string, state: ProgressState, unit = ''): string {
  const rate = progressRate(state);
  const per = `${formatRate(rate)}${unit ? ` ${unit}` : ''}/s`;
  if (state.total === null) {
    return `${label}: ${count.format(state.done)}${unit ? ` ${unit}` : ''}, ${per}, ${formatDuration(state.elapsedMs)}`;
  }
  const total = Math.max(state.total, state.done);
  const percent = total === 0 ? 100 : (state.done * 100) / total;
  const left =
    rate > 0 && state.done < total ? `, about ${formatDuration(((total - state.done) / rate) * 1_000)} left` : '';
  return `${label}: ${count.format(state.done)}/${count.format(total)}${unit ? ` ${unit}` : ''} (${percent.toFixed(1)} %), ${per}${left}`;
}

/** What a {@link ProgressReporter} needs besides its label and total. */
export interface ProgressOptions {
  /** Receives each line. */
  emit: (line: string) => void;
  /** Least time between two lines (the last one is always printed). */
  everyMs?: number;
  /** Unit after the counts (`events`, `crawls`). */
  unit?: string;
  /** Milliseconds of a monotonic clock; `performance.now` unless a test gives its own. */
  now?: () => number;
}

/**
 * Prints the progress of a long job as it goes: a line when it advances and {@link PROGRESS_EVERY_MS} have passed
 * since the last one, and a final line with the whole duration and rate when it finishes.
 */
export class ProgressReporter {
  private done = 0;
  private readonly startedAt: number;
  private lastLineAt: number;
  private readonly now: () => number;

  constructor(
    private readonly label: string,
    private readonly total: number | null,
    private readonly options: ProgressOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.startedAt = this.now();
    this.lastLineAt = this.startedAt;
  }

  /** Counts `by` more items done; prints a line if it is time. */
  advance(by = 1): void {
    this.done += by;
    const now = this.now();
    if (now - this.lastLineAt >= (this.options.everyMs ?? PROGRESS_EVERY_MS)) {
      this.lastLineAt = now;
      this.options.emit(describeProgress(this.label, this.state(now), this.options.unit));
    }
  }

  /** Prints the last line: everything done, in how long, at what rate. */
  finish(): void {
    const state = this.state(this.now());
    const unit = this.options.unit ? ` ${this.options.unit}` : '';
    const rate = formatRate(progressRate(state));
    this.options.emit(
      `${this.label}: done, ${count.format(state.done)}${unit} in ${formatDuration(state.elapsedMs)} (${rate}${unit}/s)`,
    );
  }

  private state(now: number): ProgressState {
    return { done: this.done, total: this.total, elapsedMs: now - this.startedAt };
  }
}
