import { STREAMS } from '@shelfwatch/contracts';
import {
  ConsumerDefinition,
  Topology,
  consumersFor,
  durableName,
  inboxPrefix,
  rpcSubject,
} from '@shelfwatch/messaging';
import { HEARTBEAT_SOLICIT_SUBJECT, HEARTBEAT_WILDCARD, heartbeatSubject } from '../heartbeat/instance-heartbeat';
import { JetStreamUse, ServiceManifest, WatchedConsumer } from '../service-manifest';

/** What one NATS user may publish and subscribe to; replies to requests it received are always allowed. */
export interface NatsPermissions {
  publish: string[];
  subscribe: string[];
}

/** The NATS user `npm run provision` (and the launcher) declares streams and consumers as. */
export const PROVISIONER_USER = 'provisioner';

/** The JetStream API subject `$JS.API.<rest>` (JetStream's API is not namespaced; its stream names are). */
function api(rest: string): string {
  return `$JS.API.${rest}`;
}

/**
 * Reading one dead letter by sequence and deleting it once replayed: a service with consumers replays its own
 * (their dead-letter subjects are already per durable; the service checks the subject before applying).
 */
function deadLetterReplayGrants(topology: Topology): string[] {
  const stream = topology.streamName(STREAMS.DEADLETTER);
  return [api(`STREAM.MSG.GET.${stream}`), api(`STREAM.MSG.DELETE.${stream}`)];
}

/** Declaring, reading, acknowledging and dead-lettering one durable pull consumer. */
function consumerGrants(topology: Topology, consumer: ConsumerDefinition): string[] {
  const stream = topology.streamName(consumer.stream);
  const durable = consumer.durable;
  return [
    api(`STREAM.INFO.${stream}`),
    api(`CONSUMER.INFO.${stream}.${durable}`),
    api(`CONSUMER.CREATE.${stream}.${durable}`),
    api(`CONSUMER.CREATE.${stream}.${durable}.>`),
    api(`CONSUMER.DURABLE.CREATE.${stream}.${durable}`),
    api(`CONSUMER.MSG.NEXT.${stream}.${durable}`),
    `$JS.ACK.${stream}.${durable}.>`,
    topology.subject(`deadletter.${durable}.>`),
  ];
}

/** Reading the state of another service's consumer: its info, never its messages or acknowledgements. */
function watchGrant(topology: Topology, watched: WatchedConsumer): string {
  return api(`CONSUMER.INFO.${topology.streamName(watched.stream)}.${durableName(watched.service, watched.stream)}`);
}

/** The JetStream API calls of one {@link JetStreamUse}. */
function jetstreamGrants(topology: Topology, use: JetStreamUse): string[] {
  switch (use) {
    case 'inspect':
      return Object.values(STREAMS).flatMap((definition) => {
        const stream = topology.streamName(definition);
        return [
          api(`STREAM.INFO.${stream}`),
          api(`STREAM.MSG.GET.${stream}`),
          api(`DIRECT.GET.${stream}.>`),
          api(`CONSUMER.LIST.${stream}`),
          api(`CONSUMER.NAMES.${stream}`),
          api(`CONSUMER.INFO.${stream}.*`),
        ];
      });
    case 'stream-ages':
      return Object.values(STREAMS)
        .filter((definition) => definition.maxAgeDays !== 0)
        .flatMap((definition) => {
          const stream = topology.streamName(definition);
          return [api(`STREAM.INFO.${stream}`), api(`STREAM.UPDATE.${stream}`)];
        });
    default: {
      const unknown: never = use;
      throw new Error(`unknown JetStream use ${String(unknown)}`);
    }
  }
}

/**
 * Everything `manifest.service` needs on NATS and nothing more: publish its own events; declare, read,
 * acknowledge and dead-letter its own durable consumers, and replay their dead letters; read the info of the consumers
 * it watches; answer its own requests and call the services it names; announce its heartbeats. Answers to requests it received go through `allow_responses`.
 */
export function natsPermissions(topology: Topology, manifest: ServiceManifest): NatsPermissions {
  const consumers = consumersFor(manifest.service, manifest.handles);
  const uses = manifest.jetstream ?? [];
  const inspects = uses.includes('inspect');
  const publish = [
    api('INFO'),
    ...manifest.publishes.map((type) => topology.subject(type)),
    ...consumers.flatMap((consumer) => consumerGrants(topology, consumer)),
    ...(consumers.length > 0 ? deadLetterReplayGrants(topology) : []),
    ...uses.flatMap((use) => jetstreamGrants(topology, use)),
    ...(manifest.watches ?? []).map((watched) => watchGrant(topology, watched)),
    ...(manifest.calls ?? []).map((call) => rpcSubject(topology, call.includes('.') ? call : `${call}.>`)),
    topology.subject(heartbeatSubject(manifest.service)),
    ...(inspects ? [topology.subject(HEARTBEAT_SOLICIT_SUBJECT)] : []),
  ];
  const subscribe = [
    `${inboxPrefix(manifest.service)}.>`,
    rpcSubject(topology, `${manifest.service}.>`),
    topology.subject(HEARTBEAT_SOLICIT_SUBJECT),
    ...(inspects ? [topology.subject(HEARTBEAT_WILDCARD)] : []),
  ];
  return { publish: [...new Set(publish)], subscribe: [...new Set(subscribe)] };
}

/** The provisioner declares streams and consumers: the JetStream API, and no event, ack or request. */
export function provisionerPermissions(): NatsPermissions {
  return { publish: [api('>')], subscribe: [`${inboxPrefix(PROVISIONER_USER)}.>`] };
}
