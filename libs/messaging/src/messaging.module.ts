import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HandlerDiscovery } from './handler-discovery';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { MessagingService } from './messaging.service';
import { NatsLink } from './nats-connection';
import { OutboxWriter } from './outbox-writer';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator, systemClock, uuidV7Ids } from './ports';
import { RpcClient } from './rpc';
import { Topology } from './topology';

/**
 * A service's messaging: NATS connection, outbox writer, consumers for its `@OnEvent` handlers, the
 * outbox relay, and request/reply (`RpcClient`, `@OnRequest`). Needs the service's MikroORM.
 */
@Module({})
export class MessagingModule {
  static forService(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: CLOCK, useValue: systemClock },
        { provide: ID_GENERATOR, useValue: uuidV7Ids },
        { provide: Topology, useValue: new Topology(options.namespace) },
        {
          provide: NatsLink,
          useFactory: () =>
            NatsLink.open(options.natsUrl, options.service, options.logger, options.natsCredentials ?? null),
        },
        {
          provide: OutboxWriter,
          useFactory: (clock: Clock, ids: IdGenerator) => new OutboxWriter(options.schema, clock, ids),
          inject: [CLOCK, ID_GENERATOR],
        },
        {
          provide: RpcClient,
          useFactory: (link: NatsLink, topology: Topology) => new RpcClient(link.connection, topology),
          inject: [NatsLink, Topology],
        },
        HandlerDiscovery,
        MessagingService,
      ],
      exports: [NatsLink, OutboxWriter, RpcClient, Topology, MessagingService, CLOCK, ID_GENERATOR],
    };
  }
}
