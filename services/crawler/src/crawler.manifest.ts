import { ServiceManifest } from '@shelfwatch/platform';

/** Events the crawler consumes; its features add theirs here. */
export const crawlerManifest: ServiceManifest = {
  service: 'crawler',
  handles: [],
};
