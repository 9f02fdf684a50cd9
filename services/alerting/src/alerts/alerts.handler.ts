import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ALERTING_RPC, alertAckRequest, alertGetRequest, alertListRequest, RpcAnswer } from '@shelfwatch/contracts';
import { AlertsService } from './alerts.service';
import { ContractPipe } from '@shelfwatch/messaging';
import { z } from 'zod';

/** Alert queries and acknowledgement over request/reply. */
@Controller()
export class AlertsHandler {
  constructor(private readonly alerts: AlertsService) {}

  @MessagePattern(ALERTING_RPC.alertList)
  list(
    @Payload(new ContractPipe(alertListRequest)) { limit, cursor, ...filter }: z.output<typeof alertListRequest>,
  ): Promise<RpcAnswer<'alerting.alert.list'>> {
    return this.alerts.list(filter, { limit, cursor });
  }

  @MessagePattern(ALERTING_RPC.alertGet)
  get(
    @Payload(new ContractPipe(alertGetRequest)) input: z.output<typeof alertGetRequest>,
  ): Promise<RpcAnswer<'alerting.alert.get'>> {
    return this.alerts.get(input.tenantId, input.alertId);
  }

  @MessagePattern(ALERTING_RPC.alertAck)
  ack(
    @Payload(new ContractPipe(alertAckRequest)) input: z.output<typeof alertAckRequest>,
  ): Promise<RpcAnswer<'alerting.alert.ack'>> {
    return this.alerts.acknowledge(input.tenantId, input.alertId);
  }
}
