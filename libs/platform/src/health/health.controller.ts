import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { gauge } from '@shelfwatch/observability';
import { DependencyProbes, POSTGRES_PING_TIMEOUT_MS } from './dependency-probes';

/** Set by every readiness probe, so Prometheus sees a process that runs but is not ready (`up` says only that it runs). */
const readiness = gauge('shelfwatch_ready', 'The last readiness probe: 1 ready, 0 not ready');

/** Kubernetes probes of a service (docs/architecture.md, "Environment and ports"). */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly probes: DependencyProbes,
  ) {}

  /**
   * `GET /health/live`: the event loop answers. No dependency is checked (an outage of a shared dependency
   * must not restart every pod), and it is not a Terminus check, which would answer 503 while shutting down.
   */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * `GET /health/ready`: 200 when Postgres, NATS and every consumer work; 503 naming what does not. The verdict
   * is also the `shelfwatch_ready` gauge.
   */
  @Get('ready')
  @HealthCheck()
  async ready(): Promise<HealthCheckResult> {
    try {
      const result = await this.check();
      readiness.set(1);
      return result;
    } catch (error) {
      readiness.set(0);
      throw error;
    }
  }

  private check(): Promise<HealthCheckResult> {
    return this.health.check([
      () =>
        this.indicators
          .check('postgres')
          .attempt(() => this.probes.pingPostgres())
          .withTimeout(POSTGRES_PING_TIMEOUT_MS + 100),
      () => {
        const session = this.indicators.check('nats');
        const problem = this.probes.natsProblem();
        return problem ? session.down({ message: problem }) : session.up();
      },
    ]);
  }
}
