import {
  ALERTING_RPC,
  AlertRulesView,
  AlertView,
  DeliveryView,
  Page,
  WebhookCreated,
  WebhookView,
  alertListRequest,
  alertRulesPutRequest,
  webhookCreateRequest,
} from '@shelfwatch/contracts';
import { z } from 'zod';
import { Downstream } from '../downstream/downstream';
import { idParams, pageOf, pageQuery } from '../http/http-schemas';
import { AnyRoute, route } from '../http/route';
import { alertRulesView, alertView, deliveryView, webhookCreated, webhookView } from './alerting.views';

const alertFilters = alertListRequest.pick({ status: true, type: true, productId: true, keywordId: true });

/** Alerts, alert rules, webhooks and their deliveries: the alerting service. */
export function alertingRoutes(downstream: Downstream): AnyRoute[] {
  return [
    route({
      method: 'GET',
      path: '/v1/alerts',
      operationId: 'listAlerts',
      summary: 'List alerts, filtered by status, type, product or keyword',
      tag: 'alerts',
      access: 'tenant',
      query: alertFilters.extend(pageQuery),
      status: 200,
      response: pageOf(alertView),
      handle: ({ tenantId, query }) => downstream.call<Page<AlertView>>(ALERTING_RPC.alertList, { ...query, tenantId }),
    }),
    route({
      method: 'GET',
      path: '/v1/alerts/:id',
      operationId: 'getAlert',
      summary: 'One alert with its history',
      tag: 'alerts',
      access: 'tenant',
      params: idParams,
      status: 200,
      response: alertView,
      handle: ({ tenantId, params }) =>
        downstream.call<AlertView>(ALERTING_RPC.alertGet, { tenantId, alertId: params.id }),
    }),
    route({
      method: 'POST',
      path: '/v1/alerts/:id/ack',
      operationId: 'acknowledgeAlert',
      summary: 'Acknowledge an alert',
      tag: 'alerts',
      access: 'tenant',
      params: idParams,
      status: 200,
      response: alertView,
      problems: ['conflict'],
      handle: ({ tenantId, params }) =>
        downstream.call<AlertView>(ALERTING_RPC.alertAck, { tenantId, alertId: params.id }),
    }),
    route({
      method: 'GET',
      path: '/v1/alert-rules',
      operationId: 'getAlertRules',
      summary: "The tenant's alert rules (defaults and per-product overrides)",
      tag: 'alerts',
      access: 'tenant',
      status: 200,
      response: alertRulesView,
      handle: ({ tenantId }) => downstream.call<AlertRulesView>(ALERTING_RPC.rulesGet, { tenantId }),
    }),
    route({
      method: 'PUT',
      path: '/v1/alert-rules',
      operationId: 'putAlertRules',
      summary: "Replace the tenant's alert rules as a whole",
      tag: 'alerts',
      access: 'tenant',
      body: alertRulesPutRequest.omit({ tenantId: true }),
      status: 200,
      response: alertRulesView,
      handle: ({ tenantId, body }) => downstream.call<AlertRulesView>(ALERTING_RPC.rulesPut, { ...body, tenantId }),
    }),
    route({
      method: 'POST',
      path: '/v1/webhooks',
      operationId: 'createWebhook',
      summary: 'Register a webhook endpoint for alert events (a generated secret is shown once)',
      tag: 'webhooks',
      access: 'tenant',
      body: webhookCreateRequest.omit({ tenantId: true }),
      status: 201,
      response: webhookCreated,
      problems: ['conflict', 'limit-exceeded'],
      secretFields: ['secret'],
      handle: ({ tenantId, body }) =>
        downstream.call<WebhookCreated>(ALERTING_RPC.webhookCreate, { ...body, tenantId }),
    }),
    route({
      method: 'GET',
      path: '/v1/webhooks',
      operationId: 'listWebhooks',
      summary: 'List webhook endpoints',
      tag: 'webhooks',
      access: 'tenant',
      query: z.object(pageQuery),
      status: 200,
      response: pageOf(webhookView),
      handle: ({ tenantId, query }) =>
        downstream.call<Page<WebhookView>>(ALERTING_RPC.webhookList, { ...query, tenantId }),
    }),
    route({
      method: 'DELETE',
      path: '/v1/webhooks/:id',
      operationId: 'deleteWebhook',
      summary: 'Remove a webhook endpoint',
      tag: 'webhooks',
      access: 'tenant',
      params: idParams,
      status: 204,
      response: null,
      handle: ({ tenantId, params }) => downstream.call(ALERTING_RPC.webhookDelete, { tenantId, webhookId: params.id }),
    }),
    route({
      method: 'GET',
      path: '/v1/webhooks/:id/deliveries',
      operationId: 'listWebhookDeliveries',
      summary: 'The delivery log of a webhook: each delivery with its attempts',
      tag: 'webhooks',
      access: 'tenant',
      params: idParams,
      query: z.object(pageQuery),
      status: 200,
      response: pageOf(deliveryView),
      handle: ({ tenantId, params, query }) =>
        downstream.call<Page<DeliveryView>>(ALERTING_RPC.deliveryList, { ...query, tenantId, webhookId: params.id }),
    }),
  ];
}
