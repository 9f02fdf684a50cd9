import {
  ORDER_FIDELITIES,
  ReportingBrandShare,
  ReportingBrandsView,
  ReportingDashboardView,
  ReportingPriceHistoryView,
  ReportingRankHistoryView,
  alertTypeSchema,
  currencyCode,
  priceSourceSchema,
  reportingBucketSchema,
} from '@shelfwatch/contracts';
import { z } from 'zod';
import { isoDate } from '../http/http-schemas';

// Response shapes for the OpenAPI document; `satisfies` ties each to the reporting's answer type.

const crawlCounts = z.object({
  requested: z.number().int(),
  running: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
});

export const dashboardView = z
  .object({
    trackedProducts: z.number().int(),
    trackedKeywords: z.number().int(),
    crawlsLast24h: crawlCounts,
    openAlerts: z.record(alertTypeSchema, z.number().int()),
    averageRank: z.number().nullable(),
    lastSuccessfulCrawlAt: isoDate.nullable(),
    generatedAt: isoDate,
  })
  .meta({ id: 'Dashboard' }) satisfies z.ZodType<ReportingDashboardView>;

const brandShare = z
  .object({
    brand: z.string(),
    slots: z.number().int(),
    share: z.number(),
  })
  .meta({ id: 'BrandShare' }) satisfies z.ZodType<ReportingBrandShare>;

export const brandsView = z
  .object({
    keywordId: z.uuid(),
    topN: z.number().int(),
    from: isoDate,
    to: isoDate,
    brands: z.array(brandShare),
    days: z.array(z.object({ day: z.string(), totalSlots: z.number().int(), brands: z.array(brandShare) })),
  })
  .meta({ id: 'BrandShares' }) satisfies z.ZodType<ReportingBrandsView>;

export const rankHistoryView = z
  .object({
    productId: z.uuid(),
    bucket: reportingBucketSchema,
    from: isoDate,
    to: isoDate,
    series: z.array(
      z.object({
        keywordId: z.uuid(),
        points: z.array(
          z.object({
            bucketStart: isoDate,
            rankMin: z.number().int().nullable(),
            rankMax: z.number().int().nullable(),
            rankLast: z.number().int().nullable(),
            samples: z.number().int(),
            orderFidelity: z
              .enum(ORDER_FIDELITIES)
              .describe("How faithfully rankLast is the shopper's position (the bucket's last crawl)"),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'RankHistory' }) satisfies z.ZodType<ReportingRankHistoryView>;

export const priceHistoryView = z
  .object({
    productId: z.uuid(),
    keywordId: z.uuid(),
    bucket: reportingBucketSchema,
    from: isoDate,
    to: isoDate,
    points: z.array(
      z.object({
        bucketStart: isoDate,
        myPrice: z.number().describe("At the bucket's last crawl: observed on the shelf, else the catalogue price"),
        priceSource: priceSourceSchema,
        observedMall: z.string().nullable(),
        lowestCompetitorPrice: z.number().nullable(),
        currency: currencyCode.describe("ISO 4217 currency of both prices: the product's (one per history)"),
      }),
    ),
  })
  .meta({ id: 'PriceHistory' }) satisfies z.ZodType<ReportingPriceHistoryView>;
