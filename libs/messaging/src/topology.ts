import {
  EventType,
  STREAMS,
  StreamDefinition,
  deadLetterSubject,
  domainOf,
  streamForEventType,
} from '@shelfwatch/contracts';

/** A durable consumer a service needs: one per stream it reads, filtered as narrowly as one filter allows. */
export interface ConsumerDefinition {
  /** Durable name, e.g. `ranking-crawl`. */
  durable: string;
  /** The stream definition it reads (un-namespaced). */
  stream: StreamDefinition;
  /** Event types of that stream the service handles. */
  types: EventType[];
}

/**
 * Names on the wire under a namespace. Production uses the empty namespace (`crawl.completed` on
 * stream `CRAWL`); each test run uses its own (`t1a2b.crawl.completed` on `t1a2b_CRAWL`) so that
 * runs sharing one NATS server never see each other's messages.
 */
export class Topology {
  constructor(readonly namespace: string = '') {
    if (namespace !== '' && !/^[a-z0-9_]+$/i.test(namespace)) {
      throw new Error(`namespace must be alphanumeric, got "${namespace}"`);
    }
  }

  subject(type: string): string {
    return this.namespace === '' ? type : `${this.namespace}.${type}`;
  }

  /** The event type of a namespaced subject. */
  typeOf(subject: string): string {
    const prefix = this.namespace === '' ? '' : `${this.namespace}.`;
    return subject.startsWith(prefix) ? subject.slice(prefix.length) : subject;
  }

  streamName(stream: StreamDefinition): string {
    return this.namespace === '' ? stream.name : `${this.namespace}_${stream.name}`;
  }

  streamSubjects(stream: StreamDefinition): string[] {
    return stream.subjects.map((subject) => this.subject(subject));
  }

  deadLetterSubject(durable: string, subject: string): string {
    return this.subject(deadLetterSubject(durable, this.typeOf(subject)));
  }

  /** The single filter subject of a consumer: the exact subject for one type, else the domain wildcard. */
  filterSubject(consumer: ConsumerDefinition): string {
    const [only] = consumer.types;
    if (consumer.types.length === 1 && only !== undefined) {
      return this.subject(only);
    }
    return this.subject(`${domainOf(consumer.stream.subjects[0] ?? '')}.>`);
  }

  get deadLetterStream(): StreamDefinition {
    return STREAMS.DEADLETTER;
  }
}

/** The durable consumer `service` reads `stream` with (`ranking-crawl`). */
export function durableName(service: string, stream: StreamDefinition): string {
  return `${service}-${stream.name.toLowerCase()}`;
}

/** Which of `services` names a durable of its as `durable` ({@link consumersFor}'s naming), if any. */
export function serviceOfDurable<S extends string>(durable: string, services: readonly S[]): S | undefined {
  return services.find((service) => Object.values(STREAMS).some((stream) => durableName(service, stream) === durable));
}

/** The consumers a service needs for the event types it handles: one durable per stream. */
export function consumersFor(service: string, handled: readonly EventType[]): ConsumerDefinition[] {
  const byStream = new Map<string, ConsumerDefinition>();
  for (const type of [...new Set(handled)].sort()) {
    const stream = streamForEventType(type);
    const existing = byStream.get(stream.name);
    if (existing) {
      existing.types.push(type);
    } else {
      byStream.set(stream.name, { durable: durableName(service, stream), stream, types: [type] });
    }
  }
  return [...byStream.values()];
}
