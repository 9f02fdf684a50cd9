import { Injectable } from '@nestjs/common';
import { RankingError } from '../ranking.errors';
import { Keyword, ProductKeyword } from './catalog.entities';
import { CatalogWriter, pending } from './catalog-writer';
import { attachKeywords, deleteOrphanKeywords, keywordAddedEvents } from './keyword-links';
import {
  Page,
  RankingKeywordAddInput,
  RankingKeywordAttached,
  RankingKeywordListInput,
  RankingKeywordRemoveInput,
  RankingKeywordView,
  decodeCursor,
  toPage,
} from '@shelfwatch/contracts';
import { findOwnedProduct } from './products.service';
import { TenantLimits } from './tenant-limits';
import { CrawlHealthService } from '../crawl-health/crawl-health.service';
import { UNKNOWN_HEALTH } from '../crawl-health/crawl-health';

/** A tenant's keyword as callers see it (the contract's view). */
export type KeywordView = RankingKeywordView;

/** An attach: the keyword, and whether this call linked it (false: the product already had it). */
export type KeywordAttached = RankingKeywordAttached;

/** Keywords attached to products; a text the tenant already tracks keeps its keyword id. */
@Injectable()
export class KeywordsService {
  constructor(
    private readonly writer: CatalogWriter,
    private readonly limits: TenantLimits,
    private readonly crawlHealth: CrawlHealthService,
  ) {}

  /**
   * Attaches a keyword; `tracking.keyword.added` unless the product already had it (idempotent);
   * `limit_exceeded` when the product or the tenant would have too many keywords.
   */
  add(input: RankingKeywordAddInput): Promise<KeywordAttached> {
    return this.writer.write(input, async (ctx) => {
      await this.limits.lock(ctx.em, input.tenantId);
      const product = await findOwnedProduct(ctx.em, input.tenantId, input.productId);
      const attached = await attachKeywords(ctx, product, [input.keyword], input.intervalMinutes);
      await this.limits.check(ctx.em, input.tenantId, product.id);
      const [first] = attached;
      if (!first) {
        throw new Error('attaching one keyword returned none');
      }
      const { id: keywordId, text: keyword, marketplace, intervalMinutes } = first.keyword;
      return {
        result: { productId: product.id, keywordId, keyword, marketplace, intervalMinutes, created: first.linked },
        events: keywordAddedEvents(product, attached),
      };
    });
  }

  /** Detaches a keyword; `tracking.keyword.removed`; the keyword goes once no product uses it. */
  remove(input: RankingKeywordRemoveInput): Promise<{ productId: string; keywordId: string; removed: true }> {
    return this.writer.write(input, async ({ em }) => {
      const { productId, keywordId } = input;
      await findOwnedProduct(em, input.tenantId, productId);
      const deleted = await em.nativeDelete(ProductKeyword, { productId, keywordId });
      if (deleted === 0) {
        throw RankingError.notFound('keyword', keywordId);
      }
      await deleteOrphanKeywords(em, [keywordId]);
      return {
        result: { productId, keywordId, removed: true },
        events: [pending('tracking.keyword.removed', { productId, keywordId }, keywordId)],
      };
    });
  }

  /** The tenant's keywords (or one product's), each with the products using it. */
  async list(input: RankingKeywordListInput): Promise<Page<KeywordView>> {
    const em = this.writer.reader();
    const after = decodeCursor(input.cursor);
    const scope = input.productId
      ? { tenantId: input.tenantId, id: { $in: await this.keywordIdsOf(input.productId) } }
      : { tenantId: input.tenantId };
    const [rows, total] = await Promise.all([
      em.find(
        Keyword,
        { ...scope, ...(after ? { $and: [{ id: { $gt: after } }] } : {}) },
        {
          orderBy: { id: 'asc' },
          limit: input.limit + 1,
        },
      ),
      em.count(Keyword, scope),
    ]);
    const page = rows.slice(0, input.limit).map((keyword) => keyword.id);
    const links = page.length > 0 ? await em.find(ProductKeyword, { keywordId: { $in: page } }) : [];
    const health = await this.crawlHealth.views(em, input.tenantId, page);
    return toPage(rows, input.limit, total, (keyword) => ({
      id: keyword.id,
      marketplace: keyword.marketplace,
      keyword: keyword.text,
      intervalMinutes: keyword.intervalMinutes,
      productIds: links.filter((link) => link.keywordId === keyword.id).map((link) => link.productId),
      crawlHealth: health.get(keyword.id) ?? UNKNOWN_HEALTH,
    }));
  }

  private async keywordIdsOf(productId: string): Promise<string[]> {
    const links = await this.writer.reader().find(ProductKeyword, { productId });
    return links.map((link) => link.keywordId);
  }
}
