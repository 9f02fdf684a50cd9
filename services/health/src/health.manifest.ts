import { ServiceName } from '@shelfwatch/config';
import { CRAWLER_MARKETPLACE_RPC } from '@shelfwatch/contracts';
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
  // Their replay subject (`deadLetterReplaySubject`), and the crawler for every marketplace's status.
  calls: [
    ...DEAD_LETTER_OWNERS.map((service) => `${service}.dead-letters.replay` as const),
    CRAWLER_MARKETPLACE_RPC.statuses,
  ],
  jetstream: ['inspect'],
};
