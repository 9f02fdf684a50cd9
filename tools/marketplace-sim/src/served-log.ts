import { SortOrder } from './catalogue';

/** One item of a served search page: its rank (1-based, what `start` counts) and what identifies it. */
export interface ServedItem {
  readonly rank: number;
  readonly productId: string;
  /** The price served, in KRW; 0 when it was served as `lprice: ""`. */
  readonly lprice: number;
}

/** Everything served for one query at one simulated moment, every page merged by rank. */
export interface ServedAnswer {
  readonly query: string;
  /** Simulated time of the answers, ISO 8601. */
  readonly at: string;
  readonly sort: SortOrder;
  /** Ranks served, ascending; a page served twice appears once. */
  readonly items: readonly ServedItem[];
  /** Successful search answers that make up this entry (retries of a page count again). */
  readonly answers: number;
  /** Ranks served twice with a different product or price: the simulator contradicting itself. */
  readonly conflicts: number;
}

interface Entry {
  items: Map<number, ServedItem>;
  answers: number;
  conflicts: number;
}

/** How the log keys a query: trimmed, lower case, single spaces (as the request statistics count it). */
export function servedQueryKey(query: string): string {
  return query.trim().toLowerCase().split(/\s+/u).join(' ');
}

/**
 * The record of every successful search answer, per (query, simulated time, sort order): ground truth that
 * the system under test cannot touch (the fault suite compares stored rankings with it). Off unless enabled,
 * so a long-running simulator or a benchmark does not grow it.
 */
export class ServedLog {
  #enabled = false;
  #entries = new Map<string, Entry>();

  enable(on: boolean): void {
    this.#enabled = on;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Records one served page (no-op while disabled). */
  note(query: string, at: Date, sort: SortOrder, items: readonly ServedItem[]): void {
    if (!this.#enabled) {
      return;
    }
    const key = keyOf(query, at, sort);
    const entry = this.#entries.get(key) ?? { items: new Map<number, ServedItem>(), answers: 0, conflicts: 0 };
    this.#entries.set(key, entry);
    entry.answers += 1;
    for (const item of items) {
      const known = entry.items.get(item.rank);
      if (known !== undefined && (known.productId !== item.productId || known.lprice !== item.lprice)) {
        entry.conflicts += 1;
      }
      entry.items.set(item.rank, { rank: item.rank, productId: item.productId, lprice: item.lprice });
    }
  }

  /** What was served for `query` at simulated time `at`, or undefined when nothing was. */
  answer(query: string, at: Date, sort: SortOrder = 'sim'): ServedAnswer | undefined {
    const entry = this.#entries.get(keyOf(query, at, sort));
    if (entry === undefined) {
      return undefined;
    }
    const items = [...entry.items.values()].sort((a, b) => a.rank - b.rank);
    return {
      query: servedQueryKey(query),
      at: at.toISOString(),
      sort,
      items,
      answers: entry.answers,
      conflicts: entry.conflicts,
    };
  }

  /** How many (query, moment, sort) entries and answers the log holds. */
  summary(): { enabled: boolean; entries: number; answers: number } {
    let answers = 0;
    this.#entries.forEach((entry) => (answers += entry.answers));
    return { enabled: this.#enabled, entries: this.#entries.size, answers };
  }

  clear(): void {
    this.#entries.clear();
  }
}

function keyOf(query: string, at: Date, sort: SortOrder): string {
  return `${servedQueryKey(query)}\n${at.toISOString()}\n${sort}`;
}
