/**
 * One check's verdict: what it checked, the least it had to see (so that an empty run cannot pass), what it
 * saw, and each failure it found. It passes only with no failure and at least the minimum observed.
 */
export interface Finding {
  check: string;
  minimum: number;
  observed: number;
  failures: string[];
  ok: boolean;
  /** A line for the report: counts, and the first failures. */
  detail: string;
}

/** Builds a finding; `summary` says what was counted (the failures, if any, follow it in the detail). */
export function finding(
  check: string,
  minimum: number,
  observed: number,
  failures: string[],
  summary: string,
): Finding {
  const below = observed < minimum ? [`observed ${observed} < minimum ${minimum}`] : [];
  const all = [...below, ...failures];
  const shown = all.slice(0, 5).join('; ');
  return {
    check,
    minimum,
    observed,
    failures: all,
    ok: all.length === 0,
    detail: `${summary} (minimum ${minimum}, observed ${observed})${all.length === 0 ? '' : `; ${all.length} failures: ${shown}`}`,
  };
}

/** A window in which the run injected a fault, on the machine's clock (ms). */
export interface FaultWindow {
  fault: string;
  at: number;
  endedAt: number;
}
