import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ALERTING_RPC, alertRulesGetRequest, alertRulesPutRequest, RpcAnswer } from '@shelfwatch/contracts';
import { RulesService } from './rules.service';
import { ContractPipe } from '@shelfwatch/messaging';
import { z } from 'zod';

/** Alert rules over request/reply. */
@Controller()
export class RulesHandler {
  constructor(private readonly rules: RulesService) {}

  @MessagePattern(ALERTING_RPC.rulesGet)
  get(
    @Payload(new ContractPipe(alertRulesGetRequest)) input: z.output<typeof alertRulesGetRequest>,
  ): Promise<RpcAnswer<'alerting.rules.get'>> {
    return this.rules.get(input.tenantId);
  }

  @MessagePattern(ALERTING_RPC.rulesPut)
  put(
    @Payload(new ContractPipe(alertRulesPutRequest)) input: z.output<typeof alertRulesPutRequest>,
  ): Promise<RpcAnswer<'alerting.rules.put'>> {
    return this.rules.put(input.tenantId, input.defaults, input.overrides);
  }
}
