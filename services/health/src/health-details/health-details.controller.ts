import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { HealthDetails, HealthDetailsService } from './health-details.service';

export type { HealthDetails } from './health-details.service';

/** `GET /health`: the platform's detailed health (docs/architecture.md, "Environment and ports": served by the health service). */
@Controller('health')
export class HealthDetailsController {
  constructor(private readonly health: HealthDetailsService) {}

  /** 200 when healthy or degraded, 503 when unhealthy; the body is the same either way. */
  @Get()
  async details(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthDetails> {
    const details = await this.health.details();
    void reply.status(details.status === 'unhealthy' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return details;
  }
}
