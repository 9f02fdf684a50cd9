import { Injectable } from '@nestjs/common';
import { HEALTH_RPC, RpcAnswer } from '@shelfwatch/contracts';
import { OnRequest } from '@shelfwatch/messaging';
import { HealthDetailsService } from './health-details.service';

/** The verdict alone over request/reply, for the gateway's public `GET /health` (no component details). */
@Injectable()
export class HealthSummaryHandler {
  constructor(private readonly health: HealthDetailsService) {}

  @OnRequest(HEALTH_RPC.summary)
  async summary(): Promise<RpcAnswer<'health.summary.get'>> {
    const { status, timestamp } = await this.health.details();
    return { status, timestamp };
  }
}
