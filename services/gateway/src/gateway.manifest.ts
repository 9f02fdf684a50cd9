import { ServiceManifest } from '@shelfwatch/platform';

/** Events the gateway consumes; its features add theirs here. */
export const gatewayManifest: ServiceManifest = {
  service: 'gateway',
  handles: [],
  publishes: [],
  calls: ['crawler', 'ranking', 'alerting', 'reporting', 'retention', 'health'],
};
