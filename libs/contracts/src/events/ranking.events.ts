import { z } from 'zod';

/** Where one shelf entry stood in a crawl, as recorded by the ranking service. */
export const rankingEntrySchema = z.object({
  rank: z.number().int().positive(),
  externalId: z.string().min(1),
  /** Our product id when the entry is one of the tenant's tracked products, else null (a competitor). */
  productId: z.uuid().nullable(),
  mall: z.string(),
  brand: z.string(),
  price: z.number().nonnegative(),
  excluded: z.boolean(),
});

/** The results of one successful crawl were recorded for a keyword. */
export const rankingRecordedV1 = z.object({
  crawlId: z.uuid(),
  keywordId: z.uuid(),
  recordedAt: z.iso.datetime({ offset: true }),
  entries: z.array(rankingEntrySchema).max(1000),
});

/** A tracked product's rank or presence changed between two successful crawls. */
export const rankingChangedV1 = z.object({
  crawlId: z.uuid(),
  keywordId: z.uuid(),
  productId: z.uuid(),
  /** Null when the product was not on the shelf before. */
  previousRank: z.number().int().positive().nullable(),
  /** Null when the product is no longer on the shelf. */
  currentRank: z.number().int().positive().nullable(),
  price: z.number().nonnegative().nullable(),
});
