import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ComponentHealth, DependencyProbes } from '@shelfwatch/platform';
import { version } from '../../../../package.json';

/** The detailed health view (DESIGN.md: the health service serves `GET /health`). */
export interface HealthDetails {
  status: 'up' | 'down';
  timestamp: string;
  version: string;
  components: ComponentHealth[];
}

/**
 * `GET /health`. For now it shows the health service's own Postgres and NATS; aggregating every service
 * instance, JetStream and crawl freshness is a later issue.
 */
@Controller('health')
export class HealthDetailsController {
  constructor(private readonly probes: DependencyProbes) {}

  /** 200 when every component is up, 503 otherwise; the body is the same either way. */
  @Get()
  async details(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthDetails> {
    const components = await this.probes.components();
    const status = components.every((component) => component.status === 'up') ? 'up' : 'down';
    void reply.status(status === 'up' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status, timestamp: new Date().toISOString(), version, components };
  }
}
