import { ServiceManifest } from '@shelfwatch/platform';
import { REPORTING_EVENT_TYPES } from './projections/reporting-events';

/** Events the reporting consumes: everything its read models are projected from. */
export const reportingManifest: ServiceManifest = {
  service: 'reporting',
  handles: [...REPORTING_EVENT_TYPES],
};
