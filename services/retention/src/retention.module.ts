import { DynamicModule, Module } from '@nestjs/common';
import { Logger } from 'pino';
import { PoliciesHandler } from './policies/policies.handler';
import { RetentionConfig } from './retention.config';
import {
  RETENTION_DEFAULTS,
  RETENTION_LOGGER,
  RETENTION_MAX_DAYS,
  SWEEP_OPTIONS,
  retentionDefaults,
  sweepOptions,
} from './retention.tokens';
import { StreamAges } from './sweeps/stream-ages';
import { SweepScheduler } from './sweeps/sweep.scheduler';
import { SweepsHandler } from './sweeps/sweeps.handler';

/** Policies, the scheduled sweep and the owners' reports. */
@Module({})
export class RetentionModule {
  static forConfig(config: RetentionConfig, logger: Logger): DynamicModule {
    return {
      module: RetentionModule,
      controllers: [PoliciesHandler, SweepsHandler],
      providers: [
        { provide: RETENTION_DEFAULTS, useValue: retentionDefaults(config) },
        { provide: RETENTION_MAX_DAYS, useValue: config.retentionMaxDays },
        { provide: SWEEP_OPTIONS, useValue: sweepOptions(config) },
        { provide: RETENTION_LOGGER, useValue: logger },
        StreamAges,
        SweepScheduler,
      ],
      exports: [SweepScheduler],
    };
  }
}
