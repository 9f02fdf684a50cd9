import { z } from 'zod';

export const alertTypeSchema = z.enum(['price_undercut', 'rank_drop', 'product_missing', 'new_competitor']);
export type AlertType = z.infer<typeof alertTypeSchema>;

/** A rule's condition became true for a product on a keyword. */
export const alertRaisedV1 = z.object({
  alertId: z.uuid(),
  ruleId: z.uuid(),
  alertType: alertTypeSchema,
  productId: z.uuid(),
  keywordId: z.uuid(),
  crawlId: z.uuid(),
  /** Human-readable summary, e.g. "Competitor X is 12% below your price". */
  message: z.string().max(1000),
  /** Rule-specific figures (prices, ranks) that justified the alert. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

/** What an alert is about, repeated on its later events so a consumer needs no lookup (optional: added later). */
const alertSubject = {
  alertType: alertTypeSchema.optional(),
  productId: z.uuid().optional(),
  keywordId: z.uuid().optional(),
};

/** The seller acknowledged an alert. */
export const alertAcknowledgedV1 = z.object({
  alertId: z.uuid(),
  acknowledgedAt: z.iso.datetime({ offset: true }),
  ...alertSubject,
});

/** The alert's condition cleared, or it was closed. */
export const alertResolvedV1 = z.object({
  alertId: z.uuid(),
  resolvedAt: z.iso.datetime({ offset: true }),
  reason: z.enum(['condition_cleared', 'product_removed', 'rule_changed']),
  ...alertSubject,
});
