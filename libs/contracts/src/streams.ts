import { EventType } from './event-registry';

/**
 * A JetStream stream as this system declares it; provisioning turns it into a stream config. Every domain stream
 * uses limits retention with file storage and `discard: old`, bounded by age only (no message or byte limit), so
 * a stream holds every event of the last `maxAgeDays` days, and TRACKING every event since the first release.
 * A replay reads the oldest of them through `parseEvent`'s upcasters: an upcaster of a type stays in the
 * registry for as long as its stream may hold that version, on TRACKING forever (docs/events.md §Versioning).
 */
export interface StreamDefinition {
  /** Stream name, upper case. */
  name: string;
  /** Subject filter the stream captures. */
  subjects: string[];
  /**
   * Maximum age of a message in days; 0 keeps messages forever. The retention service may give the other streams
   * another age (`StreamSettings.maxAgeDays`, derived from its policies); a stream kept forever never gets one.
   */
  maxAgeDays: number;
  description: string;
}

/** The domain streams (docs/architecture.md, "Events"), plus the dead-letter stream every consumer parks messages on. */
export const STREAMS = {
  TRACKING: {
    name: 'TRACKING',
    subjects: ['tracking.>'],
    maxAgeDays: 0,
    description: 'tracking catalog events; never expire',
  },
  CRAWL: { name: 'CRAWL', subjects: ['crawl.>'], maxAgeDays: 30, description: 'crawl lifecycle and results' },
  RANKING: { name: 'RANKING', subjects: ['ranking.>'], maxAgeDays: 30, description: 'recorded rankings' },
  ALERT: { name: 'ALERT', subjects: ['alert.>'], maxAgeDays: 180, description: 'alert lifecycle' },
  RETENTION: { name: 'RETENTION', subjects: ['retention.>'], maxAgeDays: 30, description: 'purge requests' },
  DEADLETTER: {
    name: 'DEADLETTER',
    subjects: ['deadletter.>'],
    maxAgeDays: 30,
    description: 'messages a consumer could never process, with the reason in headers',
  },
} as const satisfies Record<string, StreamDefinition>;

export type StreamName = keyof typeof STREAMS;

/** Domain prefix of an event type (`crawl.completed` → `crawl`). */
export function domainOf(type: string): string {
  return type.split('.')[0] ?? type;
}

/** The stream that captures an event type's subject. */
export function streamForEventType(type: EventType): StreamDefinition {
  const domain = domainOf(type);
  const stream = Object.values(STREAMS).find((s) => s.subjects.some((subject) => subject === `${domain}.>`));
  if (!stream) {
    throw new Error(`no stream captures ${type}`);
  }
  return stream;
}

/** Subject a consumer parks a message on: `deadletter.<consumer>.<original subject>`. */
export function deadLetterSubject(consumer: string, originalSubject: string): string {
  return `deadletter.${consumer}.${originalSubject}`;
}
