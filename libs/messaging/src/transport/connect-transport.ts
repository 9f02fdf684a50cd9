import { INestApplication, INestMicroservice } from '@nestjs/common';
import { MicroserviceOptions, NestMicroservice } from '@nestjs/microservices';
import { JetStreamServer } from './jetstream.server';
import { MessageOutcomeFilter } from './message-outcome.filter';

/**
 * Connects the JetStream transport to a service's (HTTP) application, making it a hybrid app; it starts with
 * `app.startAllMicroservices()` once `app.init()` has bootstrapped messaging (streams, relay). The transport has
 * its own enhancers, not the HTTP app's: {@link MessageOutcomeFilter} globally, so that a handler's error decides
 * the message outcome. Its handlers are registered when it starts (deferred, so that the filter applies to them);
 * the shared container's lifecycle hooks stay the HTTP app's to run, once.
 */
export function connectJetStreamTransport(app: INestApplication): INestMicroservice {
  const microservice = app.connectMicroservice<MicroserviceOptions>(
    { strategy: app.get(JetStreamServer) },
    { deferInitialization: true },
  );
  if (microservice instanceof NestMicroservice) {
    microservice.setIsInitHookCalled(true);
  }
  microservice.useGlobalFilters(new MessageOutcomeFilter());
  return microservice;
}
