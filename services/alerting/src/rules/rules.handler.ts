import { Injectable } from '@nestjs/common';
import { ALERTING_RPC, RpcAnswer, alertRulesGetRequest, alertRulesPutRequest } from '@shelfwatch/contracts';
import { OnRequest } from '@shelfwatch/messaging';
import { answer } from '../alerting.errors';
import { RulesService } from './rules.service';

/** Alert rules over request/reply. */
@Injectable()
export class RulesHandler {
  constructor(private readonly rules: RulesService) {}

  @OnRequest(ALERTING_RPC.rulesGet)
  get(payload: unknown): Promise<RpcAnswer<'alerting.rules.get'>> {
    return answer(alertRulesGetRequest, payload, (input) => this.rules.get(input.tenantId));
  }

  @OnRequest(ALERTING_RPC.rulesPut)
  put(payload: unknown): Promise<RpcAnswer<'alerting.rules.put'>> {
    return answer(alertRulesPutRequest, payload, (input) =>
      this.rules.put(input.tenantId, input.defaults, input.overrides),
    );
  }
}
