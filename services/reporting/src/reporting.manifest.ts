import { RETENTION_RPC } from '@shelfwatch/contracts';
import { ServiceManifest } from '@shelfwatch/platform';
import { REPORTING_EVENT_TYPES } from './projections/reporting-events';

/**
 * Events the reporting consumes: everything its read models are projected from, and the retention's purge
 * requests (what it derived from a purged kind goes too). The rebuild replays the projection events only.
 */
export const reportingManifest: ServiceManifest = {
  service: 'reporting',
  handles: [...REPORTING_EVENT_TYPES, 'retention.purge.requested'],
  publishes: ['retention.purge.completed'],
  // Owners ask retention for the policy as it stands before they purge.
  calls: [RETENTION_RPC.policyOfKind],
};
