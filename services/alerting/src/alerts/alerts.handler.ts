import { Injectable } from '@nestjs/common';
import { ALERTING_RPC, RpcAnswer, alertAckRequest, alertGetRequest, alertListRequest } from '@shelfwatch/contracts';
import { OnRequest } from '@shelfwatch/messaging';
import { answer } from '../alerting.errors';
import { AlertsService } from './alerts.service';

/** Alert queries and acknowledgement over request/reply. */
@Injectable()
export class AlertsHandler {
  constructor(private readonly alerts: AlertsService) {}

  @OnRequest(ALERTING_RPC.alertList)
  list(payload: unknown): Promise<RpcAnswer<'alerting.alert.list'>> {
    return answer(alertListRequest, payload, ({ limit, cursor, ...filter }) =>
      this.alerts.list(filter, { limit, cursor }),
    );
  }

  @OnRequest(ALERTING_RPC.alertGet)
  get(payload: unknown): Promise<RpcAnswer<'alerting.alert.get'>> {
    return answer(alertGetRequest, payload, (input) => this.alerts.get(input.tenantId, input.alertId));
  }

  @OnRequest(ALERTING_RPC.alertAck)
  ack(payload: unknown): Promise<RpcAnswer<'alerting.alert.ack'>> {
    return answer(alertAckRequest, payload, (input) => this.alerts.acknowledge(input.tenantId, input.alertId));
  }
}
