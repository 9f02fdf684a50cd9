import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DependencyProbes } from './dependency-probes';
import { HealthController } from './health.controller';

/**
 * `GET /health/live` and `GET /health/ready`. Needs the service's MikroORM and `MessagingService`
 * (both global in a service built on `ServiceCoreModule`). Exports {@link DependencyProbes}.
 */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [DependencyProbes],
  exports: [DependencyProbes],
})
export class HealthModule {}
