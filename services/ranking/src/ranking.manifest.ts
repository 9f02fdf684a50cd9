import { ServiceManifest } from '@shelfwatch/platform';

/** Events the ranking consumes; its features add theirs here. */
export const rankingManifest: ServiceManifest = {
  service: 'ranking',
  handles: ['crawl.completed', 'retention.purge.requested'],
};
