import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { HEALTH_RPC, RpcAnswer } from '@shelfwatch/contracts';
import { HealthDetailsService } from './health-details.service';

/** The verdict alone over request/reply, for the gateway's public `GET /health` (no component details). */
@Controller()
export class HealthSummaryHandler {
  constructor(private readonly health: HealthDetailsService) {}

  @MessagePattern(HEALTH_RPC.summary)
  async summary(): Promise<RpcAnswer<'health.summary.get'>> {
    const { status, timestamp } = await this.health.details();
    return { status, timestamp };
  }
}
