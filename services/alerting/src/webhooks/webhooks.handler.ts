import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ALERTING_RPC,
  DeliveryView,
  Page,
  WebhookCreated,
  WebhookView,
  deliveryListRequest,
  webhookCreateRequest,
  webhookDeleteRequest,
  webhookListRequest,
} from '@shelfwatch/contracts';
import { answer } from '../alerting.errors';
import { WebhooksService } from './webhooks.service';

/** Webhook endpoints and their delivery log over request/reply; a refused URL answers `invalid` with the reason. */
@Controller()
export class WebhooksHandler {
  constructor(private readonly webhooks: WebhooksService) {}

  @MessagePattern(ALERTING_RPC.webhookCreate)
  create(@Payload() payload: unknown): Promise<WebhookCreated> {
    return answer(webhookCreateRequest, payload, (input) => this.webhooks.create(input));
  }

  @MessagePattern(ALERTING_RPC.webhookList)
  list(@Payload() payload: unknown): Promise<Page<WebhookView>> {
    return answer(webhookListRequest, payload, ({ tenantId, ...page }) => this.webhooks.list(tenantId, page));
  }

  @MessagePattern(ALERTING_RPC.webhookDelete)
  delete(@Payload() payload: unknown): Promise<{ deleted: true }> {
    return answer(webhookDeleteRequest, payload, (input) => this.webhooks.delete(input.tenantId, input.webhookId));
  }

  @MessagePattern(ALERTING_RPC.deliveryList)
  deliveries(@Payload() payload: unknown): Promise<Page<DeliveryView>> {
    return answer(deliveryListRequest, payload, ({ tenantId, webhookId, ...page }) =>
      this.webhooks.deliveriesOf(tenantId, webhookId, page),
    );
  }
}
