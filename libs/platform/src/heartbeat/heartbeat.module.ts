import { DynamicModule, Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from './instance-heartbeat';
import { HEARTBEAT_OPTIONS, HeartbeatOptions, HeartbeatPublisher } from './heartbeat.publisher';

/** Every instance announces itself (service, instance id, version, uptime, readiness) on core NATS. */
@Module({})
export class HeartbeatModule {
  static forService(service: string, intervalMs: number = DEFAULT_HEARTBEAT_INTERVAL_MS): DynamicModule {
    const options: HeartbeatOptions = { service, intervalMs };
    return {
      module: HeartbeatModule,
      imports: [HealthModule],
      providers: [{ provide: HEARTBEAT_OPTIONS, useValue: options }, HeartbeatPublisher],
      exports: [HeartbeatPublisher],
    };
  }
}
