import { Module } from '@nestjs/common';
import { HealthDetailsController } from './health-details.controller';

/** The detailed health view; `DependencyProbes` comes from the global service core. */
@Module({ controllers: [HealthDetailsController] })
export class HealthDetailsModule {}
