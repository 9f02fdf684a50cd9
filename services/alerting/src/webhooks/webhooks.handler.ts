import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ALERTING_RPC,
  deliveryListRequest,
  webhookCreateRequest,
  webhookDeleteRequest,
  webhookListRequest,
  RpcAnswer,
} from '@shelfwatch/contracts';
import { WebhooksService } from './webhooks.service';
import { ContractPipe } from '@shelfwatch/messaging';
import { z } from 'zod';

/** Webhook endpoints and their delivery log over request/reply; a refused URL answers `invalid` with the reason. */
@Controller()
export class WebhooksHandler {
  constructor(private readonly webhooks: WebhooksService) {}

  @MessagePattern(ALERTING_RPC.webhookCreate)
  create(
    @Payload(new ContractPipe(webhookCreateRequest)) input: z.output<typeof webhookCreateRequest>,
  ): Promise<RpcAnswer<'alerting.webhook.create'>> {
    return this.webhooks.create(input);
  }

  @MessagePattern(ALERTING_RPC.webhookList)
  list(
    @Payload(new ContractPipe(webhookListRequest)) { tenantId, ...page }: z.output<typeof webhookListRequest>,
  ): Promise<RpcAnswer<'alerting.webhook.list'>> {
    return this.webhooks.list(tenantId, page);
  }

  @MessagePattern(ALERTING_RPC.webhookDelete)
  delete(
    @Payload(new ContractPipe(webhookDeleteRequest)) input: z.output<typeof webhookDeleteRequest>,
  ): Promise<RpcAnswer<'alerting.webhook.delete'>> {
    return this.webhooks.delete(input.tenantId, input.webhookId);
  }

  @MessagePattern(ALERTING_RPC.deliveryList)
  deliveries(
    @Payload(new ContractPipe(deliveryListRequest))
    { tenantId, webhookId, ...page }: z.output<typeof deliveryListRequest>,
  ): Promise<RpcAnswer<'alerting.delivery.list'>> {
    return this.webhooks.deliveriesOf(tenantId, webhookId, page);
  }
}
