import { DynamicModule, Module } from '@nestjs/common';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { MessagingService } from './messaging.service';
import { NatsLink } from './nats-connection';
import { OutboxWriter } from './outbox-writer';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator, systemClock, uuidV7Ids } from './ports';
import { RpcClient } from './rpc';
import { Topology } from './topology';
import { JetStreamServer } from './transport/jetstream.server';
import { RpcClientProxy } from './transport/rpc.client-proxy';

/**
 * A service's messaging: NATS connection, outbox writer, the outbox relay, the JetStream transport
 * (`JetStreamServer`, connected by the platform as the app's microservice) that runs its `@EventPattern` and
 * `@MessagePattern` handlers, and request/reply clients (`RpcClientProxy`, `RpcClient`). Needs the service's MikroORM.
 */
@Module({})
export class MessagingModule {
  static forService(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
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
        {
          provide: RpcClientProxy,
          useFactory: (rpc: RpcClient) => new RpcClientProxy(rpc),
          inject: [RpcClient],
        },
        MessagingService,
        JetStreamServer,
      ],
      exports: [
        NatsLink,
        OutboxWriter,
        RpcClient,
        RpcClientProxy,
        Topology,
        MessagingService,
        JetStreamServer,
        CLOCK,
        ID_GENERATOR,
      ],
    };
  }
}
