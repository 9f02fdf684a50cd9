import { ServiceManifest } from '@shelfwatch/platform';

/** Events the reporting consumes; its features add theirs here. */
export const reportingManifest: ServiceManifest = {
  service: 'reporting',
  handles: [],
};
