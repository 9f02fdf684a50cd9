import { Controller, Get, Header, Module, type OnModuleInit } from '@nestjs/common';
import { register } from 'prom-client';
import { ensureDefaultMetrics } from './metrics';

/** Serves the default registry to Prometheus. */
@Controller()
export class MetricsController {
  /** `GET /metrics`: every metric of the process in the Prometheus text format. */
  @Get('metrics')
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}

/**
 * `GET /metrics` plus the process metrics. With a global prefix, exclude it:
 * `app.setGlobalPrefix('v1', { exclude: ['metrics', 'health/{*path}'] })`.
 */
@Module({ controllers: [MetricsController] })
export class MetricsModule implements OnModuleInit {
  /** Starts the default metrics when the module loads. */
  onModuleInit(): void {
    ensureDefaultMetrics();
  }
}
