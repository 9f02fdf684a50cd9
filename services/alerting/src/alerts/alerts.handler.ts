import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ALERTING_RPC,
  AlertView,
  Page,
  alertAckRequest,
  alertGetRequest,
  alertListRequest,
} from '@shelfwatch/contracts';
import { answer } from '../alerting.errors';
import { AlertsService } from './alerts.service';

/** Alert queries and acknowledgement over request/reply. */
@Controller()
export class AlertsHandler {
  constructor(private readonly alerts: AlertsService) {}

  @MessagePattern(ALERTING_RPC.alertList)
  list(@Payload() payload: unknown): Promise<Page<AlertView>> {
    return answer(alertListRequest, payload, ({ limit, cursor, ...filter }) =>
      this.alerts.list(filter, { limit, cursor }),
    );
  }

  @MessagePattern(ALERTING_RPC.alertGet)
  get(@Payload() payload: unknown): Promise<AlertView> {
    return answer(alertGetRequest, payload, (input) => this.alerts.get(input.tenantId, input.alertId));
  }

  @MessagePattern(ALERTING_RPC.alertAck)
  ack(@Payload() payload: unknown): Promise<AlertView> {
    return answer(alertAckRequest, payload, (input) => this.alerts.acknowledge(input.tenantId, input.alertId));
  }
}
