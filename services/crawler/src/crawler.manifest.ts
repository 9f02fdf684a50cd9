import { RETENTION_RPC, STREAMS } from '@shelfwatch/contracts';
import { ServiceManifest } from '@shelfwatch/platform';

/** Events the crawler consumes; its features add theirs here. */
export const crawlerManifest: ServiceManifest = {
  service: 'crawler',
  handles: [
    'tracking.product.added',
    'tracking.product.removed',
    'tracking.keyword.added',
    'tracking.keyword.removed',
    'tracking.keyword.updated',
    'tracking.tenant.plan.changed',
    'retention.purge.requested',
  ],
  publishes: ['crawl.requested', 'crawl.started', 'crawl.completed', 'crawl.failed', 'retention.purge.completed'],
  // Owners ask retention for the policy as it stands before they purge.
  calls: [RETENTION_RPC.policyOfKind],
  // Crawls wait while ranking or alerting fall behind (crawls/downstream-backpressure.ts); reporting's lag never
  // stops data collection.
  watches: [
    { service: 'ranking', stream: STREAMS.CRAWL },
    { service: 'alerting', stream: STREAMS.RANKING },
  ],
};
