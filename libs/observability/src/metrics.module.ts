import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  Controller,
  DynamicModule,
  Get,
  Header,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
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

  /**
   * The metrics on a port of their own instead of the app's (the gateway's public port must not serve them):
   * `GET /metrics` there, 404 for anything else. Port 0 picks a free one ({@link MetricsServer.port}).
   */
  static onPort(port: number): DynamicModule {
    return {
      module: MetricsPortModule,
      providers: [{ provide: METRICS_PORT, useValue: port }, MetricsServer],
      exports: [MetricsServer],
    };
  }
}

const METRICS_PORT = Symbol('METRICS_PORT');

/** A bare HTTP server for Prometheus on an internal port, listening from bootstrap until shutdown. */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    register.metrics().then(
      (text) => response.writeHead(200, { 'Content-Type': register.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });

  constructor(@Inject(METRICS_PORT) private readonly requestedPort: number) {}

  /** The port it listens on (the chosen one when asked for 0). */
  get port(): number {
    return (this.server.address() as AddressInfo | null)?.port ?? this.requestedPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    ensureDefaultMetrics();
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.requestedPort, '0.0.0.0', () => resolve());
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.server.listening) {
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
  }
}

@Module({})
class MetricsPortModule {}
