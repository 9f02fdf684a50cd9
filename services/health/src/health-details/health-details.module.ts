import { DynamicModule, Module } from '@nestjs/common';
import { HealthConfig } from '../health.config';
import { HealthDetailsController } from './health-details.controller';
import { HEALTH_DETAILS_OPTIONS, healthDetailsOptions } from './health-details.options';
import { HealthDetailsService } from './health-details.service';
import { HealthSummaryHandler } from './health-summary.handler';
import { InstanceRegistry } from './instance-registry';
import { JetStreamInspector } from './jetstream.inspector';

/** The detailed health view; `DependencyProbes`, `NatsLink` and `Topology` come from the global service core. */
@Module({})
export class HealthDetailsModule {
  static forConfig(config: HealthConfig): DynamicModule {
    return {
      module: HealthDetailsModule,
      controllers: [HealthSummaryHandler, HealthDetailsController],
      providers: [
        { provide: HEALTH_DETAILS_OPTIONS, useValue: healthDetailsOptions(config) },
        HealthDetailsService,
        InstanceRegistry,
        JetStreamInspector,
      ],
    };
  }
}
