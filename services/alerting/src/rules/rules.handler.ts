import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ALERTING_RPC, AlertRulesView, alertRulesGetRequest, alertRulesPutRequest } from '@shelfwatch/contracts';
import { answer } from '../alerting.errors';
import { RulesService } from './rules.service';

/** Alert rules over request/reply. */
@Controller()
export class RulesHandler {
  constructor(private readonly rules: RulesService) {}

  @MessagePattern(ALERTING_RPC.rulesGet)
  get(@Payload() payload: unknown): Promise<AlertRulesView> {
    return answer(alertRulesGetRequest, payload, (input) => this.rules.get(input.tenantId));
  }

  @MessagePattern(ALERTING_RPC.rulesPut)
  put(@Payload() payload: unknown): Promise<AlertRulesView> {
    return answer(alertRulesPutRequest, payload, (input) =>
      this.rules.put(input.tenantId, input.defaults, input.overrides),
    );
  }
}
