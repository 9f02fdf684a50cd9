import { RETENTION_RPC } from '@shelfwatch/contracts';
import { ServiceManifest } from '@shelfwatch/platform';
import { REPORTING_EVENT_TYPES } from './projections/reporting-events';

/**
 * Events the reporting consumes: everything its read models are projected from, and the retention's purge
 * requests (what it derived from a purged kind goes too). The rebuild replays the projection events only. It
 * publishes no event: a sweep waits for the reports of the kinds' owners (crawler, ranking, alerting), and the
 * reporting owns none, so its NATS user may not publish one either.
 */
export const reportingManifest: ServiceManifest = {
  service: 'reporting',
  handles: [...REPORTING_EVENT_TYPES, 'retention.purge.requested'],
  publishes: [],
  // Owners ask retention for the policy as it stands before they purge.
  calls: [RETENTION_RPC.policyOfKind],
};
