import { ServiceManifest } from '@shelfwatch/platform';

/** Events the retention consumes; its features add theirs here. */
export const retentionManifest: ServiceManifest = {
  service: 'retention',
  handles: [],
};
