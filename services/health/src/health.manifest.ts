import { ServiceManifest } from '@shelfwatch/platform';

/**
 * Events the health consumes; its features add theirs here. It calls the services with consumers to have them
 * replay their own dead letters.
 */
export const healthManifest: ServiceManifest = {
  service: 'health',
  handles: [],
  publishes: [],
  calls: ['alerting', 'crawler', 'ranking', 'reporting', 'retention'],
  jetstream: ['inspect'],
};
