import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  JetStreamManager,
  RetentionPolicy,
  StorageType,
  StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { STREAMS, StreamDefinition, StreamName } from '@shelfwatch/contracts';
import { ConsumerDefinition, Topology } from './topology';

/** Settings applied to every stream; `replicas` is 3 on a clustered JetStream, 1 on a single server. */
export interface StreamSettings {
  replicas: number;
  /** JetStream de-duplicates `Nats-Msg-Id` within this window; longer than the relay's retry horizon. */
  duplicateWindowMs: number;
  /**
   * Maximum message age in days per stream, instead of the definition's `maxAgeDays` (the retention
   * service derives them from its policies). A stream defined to never expire (TRACKING) keeps 0.
   */
  maxAgeDays?: Partial<Record<StreamName, number>>;
}

export const defaultStreamSettings: StreamSettings = { replicas: 1, duplicateWindowMs: 20 * 60_000 };

const DAY_MS = 86_400_000;

function streamConfig(
  topology: Topology,
  stream: StreamDefinition,
  settings: StreamSettings,
): Partial<StreamConfig> & { name: string } {
  return {
    name: topology.streamName(stream),
    subjects: topology.streamSubjects(stream),
    description: stream.description,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: maxAgeNanos(stream, settings.maxAgeDays),
    duplicate_window: nanos(settings.duplicateWindowMs),
    num_replicas: settings.replicas,
  };
}

function isStreamName(name: string): name is StreamName {
  return Object.hasOwn(STREAMS, name);
}

/** A stream's max_age: the override if any, never for a stream defined to keep messages forever. */
function maxAgeNanos(stream: StreamDefinition, overrides: StreamSettings['maxAgeDays']): number {
  const override = isStreamName(stream.name) ? overrides?.[stream.name] : undefined;
  const days = stream.maxAgeDays === 0 ? 0 : (override ?? stream.maxAgeDays);
  return days === 0 ? 0 : nanos(days * DAY_MS);
}

/**
 * Changes only the max_age of an existing stream (nothing else of its configuration); answers whether it
 * changed. A stream defined to keep messages forever (TRACKING) is left alone and answers false.
 */
export async function setStreamMaxAge(
  jsm: JetStreamManager,
  topology: Topology,
  stream: StreamDefinition,
  days: number,
): Promise<boolean> {
  if (stream.maxAgeDays === 0 || !Number.isFinite(days) || days <= 0) {
    return false;
  }
  const name = topology.streamName(stream);
  const info = await jsm.streams.info(name);
  const maxAge = nanos(days * DAY_MS);
  if (info.config.max_age === maxAge) {
    return false;
  }
  await jsm.streams.update(name, { ...info.config, max_age: maxAge });
  return true;
}

function isNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.status === 404;
}

/**
 * Creates or updates every stream of {@link STREAMS}; safe to run any number of times, concurrently. An
 * existing stream keeps its max_age unless `settings.maxAgeDays` names it: the retention service owns the
 * ages, and a service re-provisioning at start must not put them back to the defaults.
 */
export async function provisionStreams(
  jsm: JetStreamManager,
  topology: Topology,
  settings: StreamSettings = defaultStreamSettings,
): Promise<string[]> {
  const names: string[] = [];
  for (const stream of Object.values(STREAMS)) {
    const config = streamConfig(topology, stream, settings);
    const name = topology.streamName(stream);
    try {
      const existing = await jsm.streams.info(name);
      const keepAge = settings.maxAgeDays?.[stream.name] === undefined;
      await jsm.streams.update(name, keepAge ? { ...config, max_age: existing.config.max_age } : config);
    } catch (error) {
      if (!isNotFound(error)) {
        throw error;
      }
      await jsm.streams.add(config);
    }
    names.push(name);
  }
  return names;
}

/** Consumer tuning; defaults keep buffers small so a dying instance strands few messages. */
export interface ConsumerSettings {
  /** Time the server waits for an ack before redelivering; handlers heartbeat at half of it. */
  ackWaitMs: number;
  /** Messages delivered but not yet acknowledged, across all instances of the service. */
  maxAckPending: number;
}

export const defaultConsumerSettings: ConsumerSettings = { ackWaitMs: 30_000, maxAckPending: 64 };

/**
 * Creates or updates a durable pull consumer. `max_deliver` is unlimited on the server on purpose: the
 * consumer itself dead-letters a message past its delivery limit, so a message whose handler keeps
 * crashing the process is parked with a reason instead of silently dropped by the server.
 */
export async function provisionConsumer(
  jsm: JetStreamManager,
  topology: Topology,
  consumer: ConsumerDefinition,
  settings: ConsumerSettings = defaultConsumerSettings,
): Promise<void> {
  const stream = topology.streamName(consumer.stream);
  const config = {
    durable_name: consumer.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: topology.filterSubject(consumer),
    ack_wait: nanos(settings.ackWaitMs),
    max_ack_pending: settings.maxAckPending,
    max_deliver: -1,
  };
  try {
    await jsm.consumers.info(stream, consumer.durable);
    await jsm.consumers.update(stream, consumer.durable, config);
  } catch (error) {
    if (!isNotFound(error)) {
      throw error;
    }
    await jsm.consumers.add(stream, config);
  }
}

/** Deletes every stream of a namespace (test clean-up). */
export async function deleteStreams(jsm: JetStreamManager, topology: Topology): Promise<void> {
  for (const stream of Object.values(STREAMS)) {
    await jsm.streams.delete(topology.streamName(stream)).catch((error: unknown) => {
      if (!isNotFound(error)) {
        throw error;
      }
    });
  }
}
