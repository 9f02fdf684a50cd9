import { RETENTION_RPC } from '@shelfwatch/contracts';
import { ServiceManifest } from '@shelfwatch/platform';

/** Events the ranking consumes; its features add theirs here. */
export const rankingManifest: ServiceManifest = {
  service: 'ranking',
  handles: ['crawl.completed', 'crawl.failed', 'retention.purge.requested'],
  publishes: [
    'tracking.product.added',
    'tracking.product.updated',
    'tracking.product.removed',
    'tracking.keyword.added',
    'tracking.keyword.removed',
    'tracking.keyword.updated',
    'tracking.tenant.plan.changed',
    'tracking.exclusion.added',
    'tracking.exclusion.removed',
    'ranking.recorded',
    'ranking.changed',
    'retention.purge.completed',
  ],
  // Owners ask retention for the policy as it stands before they purge.
  calls: [RETENTION_RPC.policyOfKind],
};
