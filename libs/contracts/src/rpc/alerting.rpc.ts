/** Request/reply contracts of the alerting service: subjects and request schemas (answers: `alerting.answers.ts`). */
import { z } from 'zod';
import { alertTypeSchema } from '../events/alert.events';
import { pageInput } from '../pagination';

/** Request/reply subjects served by the alerting service. */
export const ALERTING_RPC = {
  alertList: 'alerting.alert.list',
  alertGet: 'alerting.alert.get',
  alertAck: 'alerting.alert.ack',
  rulesGet: 'alerting.rules.get',
  rulesPut: 'alerting.rules.put',
  webhookCreate: 'alerting.webhook.create',
  webhookList: 'alerting.webhook.list',
  webhookDelete: 'alerting.webhook.delete',
  deliveryList: 'alerting.delivery.list',
} as const;

export const alertStatusSchema = z.enum(['raised', 'acknowledged', 'resolved']);
export type AlertStatus = z.infer<typeof alertStatusSchema>;

/** Price undercut: a competitor is below my price by at least `minPercent` % OR `minAmount` (either suffices). */
export const priceUndercutRuleSchema = z.object({
  enabled: z.boolean(),
  /** Percent of my price; null: not used. Both null: any competitor strictly below my price. */
  minPercent: z.number().min(0).max(100).nullable(),
  /** Absolute amount in the marketplace currency; null: not used. */
  minAmount: z.number().min(0).nullable(),
});

/** Rank drop: my product fell by at least `minPlaces`, or left the top `topK` (either suffices). */
export const rankDropRuleSchema = z.object({
  enabled: z.boolean(),
  minPlaces: z.number().int().min(1).max(1100).nullable(),
  topK: z.number().int().min(1).max(1100).nullable(),
});

/** My product is not on the crawled shelf (only ever judged on a successful crawl). */
export const productMissingRuleSchema = z.object({ enabled: z.boolean() });

/** A competitor that was not in the top `topN` at the previous crawl is there now. */
export const newCompetitorRuleSchema = z.object({
  enabled: z.boolean(),
  topN: z.number().int().min(1).max(100),
});

/** The four rules of a tenant (or of one product, as an override), and the re-raise cool-down. */
export const alertRuleSettingsSchema = z.object({
  priceUndercut: priceUndercutRuleSchema,
  rankDrop: rankDropRuleSchema,
  productMissing: productMissingRuleSchema,
  newCompetitor: newCompetitorRuleSchema,
  /** After an alert was raised, the same (rule, product, keyword) raises no new alert for this long. */
  cooldownMinutes: z.number().int().min(0).max(10_080),
});
export type AlertRuleSettings = z.infer<typeof alertRuleSettingsSchema>;

/** Per-product override: each rule given replaces the tenant default for that product entirely. */
export const alertRuleOverrideSchema = z.object({
  productId: z.uuid(),
  priceUndercut: priceUndercutRuleSchema.optional(),
  rankDrop: rankDropRuleSchema.optional(),
  productMissing: productMissingRuleSchema.optional(),
  newCompetitor: newCompetitorRuleSchema.optional(),
  cooldownMinutes: z.number().int().min(0).max(10_080).optional(),
});
export type AlertRuleOverride = z.infer<typeof alertRuleOverrideSchema>;

export const alertRulesGetRequest = z.object({ tenantId: z.uuid() });

/** Replaces the tenant's rules (defaults and every override) as a whole. */
export const alertRulesPutRequest = z.object({
  tenantId: z.uuid(),
  defaults: alertRuleSettingsSchema,
  overrides: z.array(alertRuleOverrideSchema).max(1000).default([]),
});

export const alertListRequest = z.object({
  tenantId: z.uuid(),
  status: alertStatusSchema.optional(),
  type: alertTypeSchema.optional(),
  productId: z.uuid().optional(),
  keywordId: z.uuid().optional(),
  ...pageInput,
});

export const alertGetRequest = z.object({ tenantId: z.uuid(), alertId: z.uuid() });
export const alertAckRequest = z.object({ tenantId: z.uuid(), alertId: z.uuid() });

export const webhookEventTypeSchema = z.enum(['alert.raised', 'alert.acknowledged', 'alert.resolved']);

export const webhookCreateRequest = z.object({
  tenantId: z.uuid(),
  /** https in production; loopback, private, link-local, multicast and metadata addresses are refused. */
  url: z.string().min(1).max(2048),
  /**
   * Standard Webhooks signing secret: `whsec_` and the padded base64 of the key, or any other value used as
   * the raw key; generated (and answered once) when absent.
   */
  secret: z.string().min(16).max(256).optional(),
  /** Which alert events are sent; default raised and resolved. */
  events: z.array(webhookEventTypeSchema).min(1).max(3).optional(),
  /** One message per crawl carrying all its alert events, instead of one per event. */
  digest: z.boolean().default(false),
  description: z.string().max(200).optional(),
});

export const webhookListRequest = z.object({ tenantId: z.uuid(), ...pageInput });
export const webhookDeleteRequest = z.object({ tenantId: z.uuid(), webhookId: z.uuid() });

export const deliveryListRequest = z.object({ tenantId: z.uuid(), webhookId: z.uuid(), ...pageInput });

export const deliveryStatusSchema = z.enum(['pending', 'delivering', 'succeeded', 'failed']);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;
