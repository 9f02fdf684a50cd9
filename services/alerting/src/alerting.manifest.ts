import { ServiceManifest } from '@shelfwatch/platform';

/** Events the alerting consumes; its features add theirs here. */
export const alertingManifest: ServiceManifest = {
  service: 'alerting',
  handles: [],
};
