/**
 * The longest Postgres failover the stream de-duplication alone absorbs: a relay that published a row
 * and then lost the database before marking it re-publishes the row when the database is back.
 */
export const FAILOVER_ALLOWANCE_MS = 10 * 60_000;

/** How long the relay waits for JetStream to acknowledge one publish. */
export const RELAY_PUBLISH_TIMEOUT_MS = 5_000;

/** What the three de-duplication horizons are set to. */
export interface DedupHorizons {
  /** Streams' `duplicate_window`. */
  duplicateWindowMs: number;
  /** The relay's longest pause between two attempts. */
  relayMaxBackoffMs: number;
  /** How long consumers keep processed event ids. */
  inboxRetainMs: number;
}

/**
 * The relay may publish the same row again this long after a first publish JetStream stored: a
 * publish that timed out is retried after at most one back-off, and a row whose mark was lost with the
 * database is re-published when a failover of up to {@link FAILOVER_ALLOWANCE_MS} ends.
 */
export function relayRepublishHorizonMs(relayMaxBackoffMs: number): number {
  return FAILOVER_ALLOWANCE_MS + RELAY_PUBLISH_TIMEOUT_MS + relayMaxBackoffMs;
}

/**
 * Refuses settings under which a re-published or redelivered event could be applied twice: JetStream
 * must drop a re-publish within the relay's horizon, and the inbox (the last guard) must remember
 * event ids at least as long as JetStream does.
 */
export function checkDedupHorizons(horizons: DedupHorizons): void {
  const relayHorizon = relayRepublishHorizonMs(horizons.relayMaxBackoffMs);
  if (horizons.duplicateWindowMs < relayHorizon) {
    throw new Error(
      `stream duplicate window (${horizons.duplicateWindowMs} ms) is shorter than the relay's re-publish horizon (${relayHorizon} ms)`,
    );
  }
  if (horizons.inboxRetainMs < horizons.duplicateWindowMs) {
    throw new Error(
      `inbox retention (${horizons.inboxRetainMs} ms) is shorter than the stream duplicate window (${horizons.duplicateWindowMs} ms)`,
    );
  }
}
