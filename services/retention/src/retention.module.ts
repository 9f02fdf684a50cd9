import { DynamicModule, Module } from '@nestjs/common';
import { PoliciesHandler } from './policies/policies.handler';
import { RetentionConfig } from './retention.config';
import {
  RETENTION_DEFAULTS,
  RETENTION_MAX_DAYS,
  SWEEP_OPTIONS,
  retentionDefaults,
  sweepOptions,
} from './retention.tokens';
import { PoliciesStore } from './policies/policies.store';
import { StreamAges } from './sweeps/stream-ages';
import { SweepScheduler } from './sweeps/sweep.scheduler';
import { SweepsHandler } from './sweeps/sweeps.handler';
import { SweepsStore } from './sweeps/sweeps.store';

/** Policies, the scheduled sweep and the owners' reports. */
@Module({})
export class RetentionModule {
  static forConfig(config: RetentionConfig): DynamicModule {
    return {
      module: RetentionModule,
      controllers: [PoliciesHandler, SweepsHandler],
      providers: [
        { provide: RETENTION_DEFAULTS, useValue: retentionDefaults(config) },
        { provide: RETENTION_MAX_DAYS, useValue: config.retentionMaxDays },
        { provide: SWEEP_OPTIONS, useValue: sweepOptions(config) },
        PoliciesStore,
        SweepsStore,
        StreamAges,
        SweepScheduler,
      ],
      exports: [SweepScheduler],
    };
  }
}
