import { z } from 'zod';

/**
 * What every service instance announces about itself on core NATS (not JetStream: heartbeats are
 * ephemeral). The health service keeps the latest one per instance to know who is running.
 */
export const instanceHeartbeatSchema = z.object({
  /** Service name, e.g. `ranking`. */
  service: z.string().min(1),
  /** Unique per process start (UUIDv7). */
  instanceId: z.uuid(),
  /** The platform's version (root package.json). */
  version: z.string(),
  host: z.string(),
  pid: z.number().int(),
  startedAt: z.iso.datetime({ offset: true }),
  uptimeSeconds: z.number().nonnegative(),
  /** What `/health/ready` would answer now: Postgres, NATS and every consumer work. */
  ready: z.boolean(),
  /** Why it is not ready (empty when ready). */
  problems: z.array(z.string()),
  /** The instance is shutting down: this is its last heartbeat. */
  stopping: z.boolean(),
  /** The next heartbeat is due after this many milliseconds. */
  intervalMs: z.number().int().positive(),
  sentAt: z.iso.datetime({ offset: true }),
});

export type InstanceHeartbeat = z.infer<typeof instanceHeartbeatSchema>;

/** Subject one service's instances announce themselves on (un-namespaced). */
export function heartbeatSubject(service: string): string {
  return `platform.heartbeat.${service}`;
}

/** Subject that matches every service's heartbeats (un-namespaced). */
export const HEARTBEAT_WILDCARD = 'platform.heartbeat.*';

/** A message on this subject asks every instance to announce itself at once (un-namespaced). */
export const HEARTBEAT_SOLICIT_SUBJECT = 'platform.heartbeat-solicit';

/** Default time between two heartbeats. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;

/** An instance is taken for gone when no heartbeat came for this long (two missed beats and a second). */
export function heartbeatExpiryMs(intervalMs: number): number {
  return intervalMs * 2 + 1_000;
}
