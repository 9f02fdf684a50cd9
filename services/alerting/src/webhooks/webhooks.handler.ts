import { Injectable } from '@nestjs/common';
import {
  ALERTING_RPC,
  RpcAnswer,
  deliveryListRequest,
  webhookCreateRequest,
  webhookDeleteRequest,
  webhookListRequest,
} from '@shelfwatch/contracts';
import { OnRequest } from '@shelfwatch/messaging';
import { answer } from '../alerting.errors';
import { WebhooksService } from './webhooks.service';

/** Webhook endpoints and their delivery log over request/reply; a refused URL answers `invalid` with the reason. */
@Injectable()
export class WebhooksHandler {
  constructor(private readonly webhooks: WebhooksService) {}

  @OnRequest(ALERTING_RPC.webhookCreate)
  create(payload: unknown): Promise<RpcAnswer<'alerting.webhook.create'>> {
    return answer(webhookCreateRequest, payload, (input) => this.webhooks.create(input));
  }

  @OnRequest(ALERTING_RPC.webhookList)
  list(payload: unknown): Promise<RpcAnswer<'alerting.webhook.list'>> {
    return answer(webhookListRequest, payload, ({ tenantId, ...page }) => this.webhooks.list(tenantId, page));
  }

  @OnRequest(ALERTING_RPC.webhookDelete)
  delete(payload: unknown): Promise<RpcAnswer<'alerting.webhook.delete'>> {
    return answer(webhookDeleteRequest, payload, (input) => this.webhooks.delete(input.tenantId, input.webhookId));
  }

  @OnRequest(ALERTING_RPC.deliveryList)
  deliveries(payload: unknown): Promise<RpcAnswer<'alerting.delivery.list'>> {
    return answer(deliveryListRequest, payload, ({ tenantId, webhookId, ...page }) =>
      this.webhooks.deliveriesOf(tenantId, webhookId, page),
    );
  }
}
