import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RANKING_RPC,
  RankingTenantPlanView,
  rankingTenantPlanGetRequest,
  rankingTenantPlanSetRequest,
} from '@shelfwatch/contracts';
import { answer } from '../ranking.rpc';
import { TenantPlansService } from './tenant-plans.service';

/** Each tenant's plan over NATS request/reply (the gateway's `GET /v1/tenant` and `PUT /v1/tenants/:id/plan`). */
@Controller()
export class TenantPlansHandler {
  constructor(private readonly plans: TenantPlansService) {}

  @MessagePattern(RANKING_RPC.tenantPlanGet)
  getPlan(@Payload() payload: unknown): Promise<RankingTenantPlanView> {
    return answer(rankingTenantPlanGetRequest, payload, (input) => this.plans.get(input));
  }

  @MessagePattern(RANKING_RPC.tenantPlanSet)
  setPlan(@Payload() payload: unknown): Promise<RankingTenantPlanView> {
    return answer(rankingTenantPlanSetRequest, payload, (input) => this.plans.set(input));
  }
}
