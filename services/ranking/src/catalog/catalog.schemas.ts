import { z } from 'zod';
import { pageInput } from './pagination';

/** Trimmed, lower case, single spaces: how a keyword is stored and compared. */
export function normalizeKeyword(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

const keywordText = z.string().transform(normalizeKeyword).pipe(z.string().min(1).max(200));
const intervalMinutes = z.number().int().min(5).max(10_080);
const price = z.number().nonnegative().max(999_999_999_999);
const name = z.string().trim().min(1).max(500);

/** Every request names its tenant; a write may carry the correlation id of the action that caused it. */
const scope = { tenantId: z.uuid(), correlationId: z.uuid().optional() };

/** `ranking.product.create`: the product and, optionally, keywords to attach at once. */
export const createProductInput = z.object({
  ...scope,
  marketplace: z.string().trim().toLowerCase().min(1).max(50),
  externalId: z.string().trim().min(1).max(100),
  name,
  price,
  keywords: z.array(keywordText).max(50).optional(),
  intervalMinutes: intervalMinutes.optional(),
});

/** `ranking.product.get` / `.delete`: one product of the tenant. */
export const productRefInput = z.object({ ...scope, productId: z.uuid() });

/** `ranking.product.update`: a new name and/or price. */
export const updateProductInput = productRefInput
  .extend({ name: name.optional(), price: price.optional() })
  .refine((input) => input.name !== undefined || input.price !== undefined, {
    message: 'name or price is required',
    path: ['name'],
  });

/** `ranking.product.list` / `ranking.exclusion.list`: one page of the tenant's items. */
export const listInput = z.object({ ...scope, ...pageInput });

/** `ranking.keyword.add`: attach a keyword text to a product. */
export const addKeywordInput = productRefInput.extend({
  keyword: keywordText,
  intervalMinutes: intervalMinutes.optional(),
});

/** `ranking.keyword.remove`: detach a keyword from a product. */
export const removeKeywordInput = productRefInput.extend({ keywordId: z.uuid() });

/** `ranking.keyword.list`: the tenant's keywords, or one product's. */
export const listKeywordsInput = listInput.extend({ productId: z.uuid().optional() });

/** `ranking.exclusion.add`: a marketplace product id or a mall name. */
export const addExclusionInput = z.object({
  ...scope,
  kind: z.enum(['product', 'mall']),
  value: z.string().trim().min(1).max(200),
});

/** `ranking.exclusion.delete`: one exclusion of the tenant. */
export const exclusionRefInput = z.object({ ...scope, exclusionId: z.uuid() });

/** Validated request payloads, as the use cases receive them. */
export type CreateProductInput = z.output<typeof createProductInput>;
export type ProductRefInput = z.output<typeof productRefInput>;
export type UpdateProductInput = z.output<typeof updateProductInput>;
export type ListInput = z.output<typeof listInput>;
export type AddKeywordInput = z.output<typeof addKeywordInput>;
export type RemoveKeywordInput = z.output<typeof removeKeywordInput>;
export type ListKeywordsInput = z.output<typeof listKeywordsInput>;
export type AddExclusionInput = z.output<typeof addExclusionInput>;
export type ExclusionRefInput = z.output<typeof exclusionRefInput>;
