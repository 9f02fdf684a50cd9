import { ServiceManifest } from '@shelfwatch/platform';

/** Events the retention consumes: the owners' answers to its purge requests. */
export const retentionManifest: ServiceManifest = {
  service: 'retention',
  handles: ['retention.purge.completed'],
  publishes: ['retention.purge.requested'],
  jetstream: ['stream-ages'],
};
