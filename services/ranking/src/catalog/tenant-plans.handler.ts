import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RANKING_RPC,
  rankingTenantPlanGetRequest,
  rankingTenantPlanSetRequest,
  RpcAnswer,
} from '@shelfwatch/contracts';
import { TenantPlansService } from './tenant-plans.service';
import { ContractPipe } from '@shelfwatch/messaging';
import { z } from 'zod';

/** Each tenant's plan over NATS request/reply (the gateway's `GET /v1/tenant` and `PUT /v1/tenants/:id/plan`). */
@Controller()
export class TenantPlansHandler {
  constructor(private readonly plans: TenantPlansService) {}

  @MessagePattern(RANKING_RPC.tenantPlanGet)
  getPlan(
    @Payload(new ContractPipe(rankingTenantPlanGetRequest)) input: z.output<typeof rankingTenantPlanGetRequest>,
  ): Promise<RpcAnswer<'ranking.tenant.plan.get'>> {
    return this.plans.get(input);
  }

  @MessagePattern(RANKING_RPC.tenantPlanSet)
  setPlan(
    @Payload(new ContractPipe(rankingTenantPlanSetRequest)) input: z.output<typeof rankingTenantPlanSetRequest>,
  ): Promise<RpcAnswer<'ranking.tenant.plan.set'>> {
    return this.plans.set(input);
  }
}
