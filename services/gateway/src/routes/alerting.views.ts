import {
  AlertRulesView,
  AlertView,
  DeliveryView,
  WebhookCreated,
  WebhookView,
  alertRuleOverrideSchema,
  alertRuleSettingsSchema,
  alertStatusSchema,
  alertTypeSchema,
  deliveryStatusSchema,
  webhookEventTypeSchema,
} from '@shelfwatch/contracts';
import { z } from 'zod';
import { isoDate } from '../http/http-schemas';

// Response shapes for the OpenAPI document; `satisfies` ties each to the alerting's answer type.

export const alertView = z
  .object({
    id: z.uuid(),
    ruleId: z.uuid(),
    type: alertTypeSchema,
    status: alertStatusSchema,
    productId: z.uuid(),
    keywordId: z.uuid(),
    crawlId: z.uuid(),
    message: z.string(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    raisedAt: isoDate,
    acknowledgedAt: isoDate.nullable(),
    resolvedAt: isoDate.nullable(),
    resolvedReason: z.enum(['condition_cleared', 'product_removed', 'rule_changed']).nullable(),
    history: z.array(
      z.object({
        type: z.enum(['alert.raised', 'alert.acknowledged', 'alert.resolved']),
        at: isoDate,
        eventId: z.uuid(),
      }),
    ),
  })
  .meta({ id: 'Alert' }) satisfies z.ZodType<AlertView>;

export const alertRulesView = z
  .object({
    defaults: alertRuleSettingsSchema,
    overrides: z.array(alertRuleOverrideSchema),
    ruleIds: z.record(alertTypeSchema, z.string()),
    updatedAt: isoDate.nullable(),
  })
  .meta({ id: 'AlertRules' }) satisfies z.ZodType<AlertRulesView>;

export const webhookView = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(webhookEventTypeSchema),
    digest: z.boolean(),
    description: z.string().nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'Webhook' }) satisfies z.ZodType<WebhookView>;

export const webhookCreated = webhookView
  .extend({
    secret: z.string().optional().describe('The generated signing secret: present only when generated, shown once'),
  })
  .meta({ id: 'WebhookCreated' }) satisfies z.ZodType<WebhookCreated>;

export const deliveryView = z
  .object({
    id: z.uuid(),
    webhookId: z.uuid(),
    eventIds: z.array(z.uuid()),
    eventTypes: z.array(z.string()),
    status: deliveryStatusSchema,
    attempts: z.array(
      z.object({
        at: isoDate,
        statusCode: z.number().int().nullable(),
        error: z.string().nullable(),
        durationMs: z.number(),
      }),
    ),
    nextAttemptAt: isoDate.nullable(),
    createdAt: isoDate,
    completedAt: isoDate.nullable(),
  })
  .meta({ id: 'Delivery' }) satisfies z.ZodType<DeliveryView>;
