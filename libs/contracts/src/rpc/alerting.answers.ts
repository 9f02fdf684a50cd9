/**
 * Answer schemas of the alerting service's request/reply subjects: the one definition of each answer shape.
 * Their types are the answer types, and the gateway's OpenAPI document shows them as they are here.
 */
import { z } from 'zod';
import { alertTypeSchema } from '../events/alert.events';
import {
  alertRuleOverrideSchema,
  alertRuleSettingsSchema,
  alertStatusSchema,
  deliveryStatusSchema,
  webhookEventTypeSchema,
} from './alerting.rpc';
import { isoDate, pageOf } from './answer-shapes';

/** One step of an alert's life, as its events tell it. */
export const alertHistoryEntrySchema = z.object({
  type: z.enum(['alert.raised', 'alert.acknowledged', 'alert.resolved']),
  at: isoDate,
  eventId: z.uuid(),
});
export type AlertHistoryEntry = z.infer<typeof alertHistoryEntrySchema>;

export const alertViewSchema = z
  .object({
    id: z.uuid(),
    ruleId: z.uuid(),
    type: alertTypeSchema,
    status: alertStatusSchema,
    productId: z.uuid(),
    keywordId: z.uuid(),
    /** The crawl that raised it. */
    crawlId: z.uuid(),
    message: z.string(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    raisedAt: isoDate,
    acknowledgedAt: isoDate.nullable(),
    resolvedAt: isoDate.nullable(),
    resolvedReason: z.enum(['condition_cleared', 'product_removed', 'rule_changed']).nullable(),
    history: z.array(alertHistoryEntrySchema),
  })
  .meta({ id: 'Alert' });
export type AlertView = z.infer<typeof alertViewSchema>;

/** A tenant's rules; `ruleIds` are the stable ids carried by `alert.raised` (`ruleId`). */
export const alertRulesViewSchema = z
  .object({
    defaults: alertRuleSettingsSchema,
    overrides: z.array(alertRuleOverrideSchema),
    ruleIds: z.record(alertTypeSchema, z.string()),
    /** Null while the tenant still runs on the built-in defaults. */
    updatedAt: isoDate.nullable(),
  })
  .meta({ id: 'AlertRules' });
export type AlertRulesView = z.infer<typeof alertRulesViewSchema>;

export const webhookViewSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(webhookEventTypeSchema),
    digest: z.boolean(),
    description: z.string().nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'Webhook' });
export type WebhookView = z.infer<typeof webhookViewSchema>;

/** The created webhook; `secret` is present only when it was generated, and only in this answer. */
export const webhookCreatedSchema = webhookViewSchema
  .extend({
    secret: z.string().optional().describe('The generated signing secret: present only when generated, shown once'),
  })
  .meta({ id: 'WebhookCreated' });
export type WebhookCreated = z.infer<typeof webhookCreatedSchema>;

/** Answer of `alerting.webhook.delete`. */
export const webhookDeletedSchema = z.object({ deleted: z.literal(true) });

/** One attempt at sending a delivery. */
export const deliveryAttemptViewSchema = z.object({
  at: isoDate,
  /** HTTP status answered, null when none (refused, network error, timeout). */
  statusCode: z.number().int().nullable(),
  /** Why it failed (`timeout`, `connection_refused`, `http_503`, `refused: private_address`, …); null on success. */
  error: z.string().nullable(),
  durationMs: z.number(),
});
export type DeliveryAttemptView = z.infer<typeof deliveryAttemptViewSchema>;

export const deliveryViewSchema = z
  .object({
    id: z.uuid(),
    webhookId: z.uuid(),
    /** The alert events this delivery carries (several in digest mode). */
    eventIds: z.array(z.uuid()),
    eventTypes: z.array(z.string()),
    status: deliveryStatusSchema,
    attempts: z.array(deliveryAttemptViewSchema),
    nextAttemptAt: isoDate.nullable(),
    createdAt: isoDate,
    completedAt: isoDate.nullable(),
  })
  .meta({ id: 'Delivery' });
export type DeliveryView = z.infer<typeof deliveryViewSchema>;

/** Pages of the list subjects (named `<item>Page` in the OpenAPI document). */
export const alertPageSchema = pageOf(alertViewSchema);
export const webhookPageSchema = pageOf(webhookViewSchema);
export const deliveryPageSchema = pageOf(deliveryViewSchema);
