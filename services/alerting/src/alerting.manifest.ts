import { RETENTION_RPC } from '@shelfwatch/contracts';
import { ServiceManifest } from '@shelfwatch/platform';

/**
 * Events the alerting consumes. `crawl.failed` is deliberately absent: a failed crawl never raises or
 * resolves anything, and only a successful crawl produces `ranking.recorded`.
 */
export const alertingManifest: ServiceManifest = {
  service: 'alerting',
  handles: ['ranking.recorded', 'tracking.product.removed', 'tracking.keyword.removed', 'retention.purge.requested'],
  publishes: ['alert.raised', 'alert.acknowledged', 'alert.resolved', 'retention.purge.completed'],
  // Owners ask retention for the policy as it stands before they purge.
  calls: [RETENTION_RPC.policyOfKind],
};
