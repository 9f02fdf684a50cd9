import { ServiceName } from '@shelfwatch/config';

/**
 * What the fault run must find, written out rather than discovered, so that a service missing from `dist` or a
 * consumer nobody created fails the run instead of shrinking what is checked. `expected.spec.ts` holds these
 * lists equal to what the services' manifests declare.
 */

/** The services the run starts from `dist/`, in start order. */
export const EXPECTED_SERVICES: readonly ServiceName[] = ['crawler', 'ranking', 'alerting', 'reporting'];

/** One durable consumer a service of the run reads a stream with. */
export interface ExpectedConsumer {
  service: ServiceName;
  durable: string;
  /** The event types it reads (a poison message on one of these must be parked by it). */
  types: readonly string[];
}

/** Every durable consumer of the services of the run, with the event types it reads. */
export const EXPECTED_CONSUMERS: readonly ExpectedConsumer[] = [
  { service: 'crawler', durable: 'crawler-retention', types: ['retention.purge.requested'] },
  {
    service: 'crawler',
    durable: 'crawler-tracking',
    types: [
      'tracking.keyword.added',
      'tracking.keyword.removed',
      'tracking.keyword.updated',
      'tracking.product.added',
      'tracking.product.removed',
      'tracking.tenant.plan.changed',
    ],
  },
  { service: 'ranking', durable: 'ranking-crawl', types: ['crawl.completed', 'crawl.failed'] },
  { service: 'ranking', durable: 'ranking-retention', types: ['retention.purge.requested'] },
  { service: 'alerting', durable: 'alerting-ranking', types: ['ranking.recorded'] },
  { service: 'alerting', durable: 'alerting-retention', types: ['retention.purge.requested'] },
  {
    service: 'alerting',
    durable: 'alerting-tracking',
    types: ['tracking.keyword.removed', 'tracking.product.removed'],
  },
  { service: 'reporting', durable: 'reporting-alert', types: ['alert.raised', 'alert.resolved'] },
  {
    service: 'reporting',
    durable: 'reporting-crawl',
    types: ['crawl.completed', 'crawl.failed', 'crawl.requested', 'crawl.started'],
  },
  { service: 'reporting', durable: 'reporting-ranking', types: ['ranking.recorded'] },
  { service: 'reporting', durable: 'reporting-retention', types: ['retention.purge.requested'] },
  {
    service: 'reporting',
    durable: 'reporting-tracking',
    types: ['tracking.keyword.added', 'tracking.keyword.removed', 'tracking.product.added', 'tracking.product.removed'],
  },
];

/** The durables that must park a poison message of `type`: every expected consumer reading it. */
export function readersOf(type: string): string[] {
  return EXPECTED_CONSUMERS.filter((consumer) => consumer.types.includes(type)).map((consumer) => consumer.durable);
}
