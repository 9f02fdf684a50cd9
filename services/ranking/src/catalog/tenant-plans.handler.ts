import { Injectable } from '@nestjs/common';
import {
  RANKING_RPC,
  RpcAnswer,
  rankingTenantPlanGetRequest,
  rankingTenantPlanSetRequest,
} from '@shelfwatch/contracts';
import { OnRequest } from '@shelfwatch/messaging';
import { answer } from '../ranking.rpc';
import { TenantPlansService } from './tenant-plans.service';

/** Each tenant's plan over NATS request/reply (the gateway's `GET /v1/tenant` and `PUT /v1/tenants/:id/plan`). */
@Injectable()
export class TenantPlansHandler {
  constructor(private readonly plans: TenantPlansService) {}

  @OnRequest(RANKING_RPC.tenantPlanGet)
  getPlan(payload: unknown): Promise<RpcAnswer<'ranking.tenant.plan.get'>> {
    return answer(rankingTenantPlanGetRequest, payload, (input) => this.plans.get(input));
  }

  @OnRequest(RANKING_RPC.tenantPlanSet)
  setPlan(payload: unknown): Promise<RpcAnswer<'ranking.tenant.plan.set'>> {
    return answer(rankingTenantPlanSetRequest, payload, (input) => this.plans.set(input));
  }
}
