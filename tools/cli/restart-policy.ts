/** How the launcher restarts a service that exits on its own. */
export interface RestartPolicy {
  /** The wait before the first restart; each further exit in the window doubles it. */
  initialDelayMs: number;
  /** The longest wait between an exit and the restart. */
  maxDelayMs: number;
  /** This many exits of one child within {@link windowMs} and the launcher stops everything. */
  maxExits: number;
  windowMs: number;
}

/** 1 s doubling to 30 s; five exits of one service within a minute stop the launcher. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxExits: 5,
  windowMs: 60_000,
};

/** What to do after an exit: restart after `delayMs` (the `attempt`-th exit in the window), or give up. */
export type RestartDecision =
  { kind: 'restart'; delayMs: number; attempt: number } | { kind: 'give-up'; exits: number; windowMs: number };

/**
 * Decides what follows an exit at `now`, given the times of the child's earlier exits (any order). Only exits
 * within the window count: a service that crashed twice an hour ago starts again from the first delay.
 */
export function decideRestart(earlierExits: readonly number[], now: number, policy: RestartPolicy): RestartDecision {
  const exits = [...earlierExits, now].filter((at) => now - at < policy.windowMs).length;
  if (exits >= policy.maxExits) {
    return { kind: 'give-up', exits, windowMs: policy.windowMs };
  }
  const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (exits - 1));
  return { kind: 'restart', delayMs, attempt: exits };
}

/** The exit times still worth remembering at `now` (the rest can never count again). */
export function recentExits(exits: readonly number[], now: number, policy: RestartPolicy): number[] {
  return exits.filter((at) => now - at < policy.windowMs);
}
