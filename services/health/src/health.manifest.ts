import { ServiceName } from '@shelfwatch/config';
import { ServiceManifest } from '@shelfwatch/platform';

/** The services with consumers, whose dead letters health has them replay. */
export const DEAD_LETTER_OWNERS = [
  'alerting',
  'crawler',
  'ranking',
  'reporting',
  'retention',
] as const satisfies ServiceName[];

/**
 * Events the health consumes; its features add theirs here. It calls the services with consumers to have them
 * replay their own dead letters.
 */
export const healthManifest: ServiceManifest = {
  service: 'health',
  handles: [],
  publishes: [],
  // Only their replay subject (`deadLetterReplaySubject`): health asks nothing else of them.
  calls: DEAD_LETTER_OWNERS.map((service) => `${service}.dead-letters.replay` as const),
  jetstream: ['inspect'],
};
