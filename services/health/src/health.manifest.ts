import { ServiceManifest } from '@shelfwatch/platform';

/** Events the health consumes; its features add theirs here. */
export const healthManifest: ServiceManifest = {
  service: 'health',
  handles: [],
  publishes: [],
  jetstream: ['inspect'],
};
