import { NatsCredentials } from '@shelfwatch/config';
import { EventType } from '@shelfwatch/contracts';
import { Logger } from 'pino';
import { InboxPrunerOptions } from './inbox-pruner';
import { EventConsumerOptions } from './message-processor';
import { OutboxRelayOptions } from './outbox-relay';
import { ConsumerSettings, StreamSettings } from './provisioning';

/** How a service uses the messaging layer. */
export interface MessagingOptions {
  service: string;
  /** Schema holding the service's outbox and inbox. */
  schema: string;
  natsUrl: string;
  /** The service's own NATS user; null connects without credentials (development, tests). */
  natsCredentials?: NatsCredentials | null;
  namespace: string;
  /** Declare streams at start (development); consumers of this service are always declared. */
  provisionStreams: boolean;
  /** Every event type the service handles; each must have exactly one `@EventPattern` method. */
  handles: EventType[];
  logger: Logger;
  consumer?: Partial<Omit<EventConsumerOptions, 'schema'>>;
  consumerSettings?: Partial<ConsumerSettings>;
  relay?: Partial<Omit<OutboxRelayOptions, 'schema'>>;
  inbox?: Partial<Omit<InboxPrunerOptions, 'schema'>>;
  streams?: Partial<StreamSettings>;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
