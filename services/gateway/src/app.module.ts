import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { GatewayConfig } from './gateway.config';
import { gatewayManifest } from './gateway.manifest';
import { gatewayPersistence } from './gateway.persistence';
import { API_PREFIX } from './http/api.plugin';
import { GatewayHttpModule } from './http/gateway-http.module';

/** The gateway application: the shared service core plus the REST edge. */
@Module({})
export class GatewayAppModule {
  static forConfig(config: GatewayConfig, logger: Logger): DynamicModule {
    return {
      module: GatewayAppModule,
      imports: [
        ServiceCoreModule.forService({
          config,
          persistence: gatewayPersistence,
          handles: gatewayManifest.handles,
          logger,
          metricsPort: config.metricsPort,
          selfLoggedPrefixes: [API_PREFIX],
        }),
        GatewayHttpModule.forConfig(config, logger),
      ],
    };
  }
}
