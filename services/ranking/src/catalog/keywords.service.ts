import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { entityKeysetPage } from '@shelfwatch/persistence';
import { RankingError } from '../ranking.errors';
import { Keyword, ProductKeyword } from './catalog.entities';
import { CatalogWriter, pending } from './catalog-writer';
import { KeywordLinks } from './keyword-links';
import {
  Page,
  RankingKeywordAddInput,
  RankingKeywordAttached,
  RankingKeywordListInput,
  RankingKeywordRemoveInput,
  RankingKeywordUpdateInput,
  RankingKeywordView,
  decodeCursor,
  toPage,
} from '@shelfwatch/contracts';
import { intervalFor } from './plan-rules';
import { findOwnedProduct } from './products.service';
import { TenantLimits } from './tenant-limits';
import { planOf } from './tenant-plan.query';
import { versionOf } from './versions';
import { CatalogStore } from './catalog.store';
import { CrawlHealthService } from '../crawl-health/crawl-health.service';
import { CrawlHealthView, UNKNOWN_HEALTH } from '../crawl-health/crawl-health';

/** A tenant's keyword as callers see it (the contract's view). */
export type KeywordView = RankingKeywordView;

/** An attach: the keyword, and whether this call linked it (false: the product already had it). */
export type KeywordAttached = RankingKeywordAttached;

function view(
  keyword: Keyword,
  links: readonly ProductKeyword[],
  health: ReadonlyMap<string, CrawlHealthView>,
): KeywordView {
  return {
    id: keyword.id,
    marketplace: keyword.marketplace,
    site: keyword.site,
    keyword: keyword.text,
    intervalMinutes: keyword.intervalMinutes,
    paused: keyword.paused,
    productIds: links.filter((link) => link.keywordId === keyword.id).map((link) => link.productId),
    crawlHealth: health.get(keyword.id) ?? UNKNOWN_HEALTH,
  };
}

/** Keywords attached to products; a text the tenant already tracks keeps its keyword id. */
@Injectable()
export class KeywordsService {
  constructor(
    private readonly writer: CatalogWriter,
    private readonly limits: TenantLimits,
    private readonly crawlHealth: CrawlHealthService,
    private readonly links: KeywordLinks,
    private readonly store: CatalogStore,
  ) {}

  /**
   * Attaches a keyword; `tracking.keyword.added` unless the product already had it (idempotent);
   * `limit_exceeded` when the product or the tenant would have too many keywords; `invalid` when the
   * interval is below the plan's minimum. A keyword the tenant already tracks keeps its own interval.
   */
  add(input: RankingKeywordAddInput): Promise<KeywordAttached> {
    return this.writer.write(input, async (ctx) => {
      await this.limits.lock(ctx.em, input.tenantId);
      const plan = await planOf(ctx.em, input.tenantId);
      const interval = intervalFor(input.intervalMinutes, plan);
      const product = await findOwnedProduct(ctx.em, input.tenantId, input.productId);
      const attached = await this.links.attach(ctx, product, [input.keyword], interval);
      await this.limits.check(ctx.em, input.tenantId, product.id, plan);
      const [first] = attached;
      if (!first) {
        throw new Error('attaching one keyword returned none');
      }
      const { id: keywordId, text: keyword, marketplace, site, intervalMinutes } = first.keyword;
      return {
        result: {
          productId: product.id,
          keywordId,
          keyword,
          marketplace,
          site,
          intervalMinutes,
          created: first.linked,
        },
        events: await this.links.addedEvents(ctx.em, product, attached),
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
      const events = await this.links.removedEvents(em, productId, [keywordId]);
      await this.links.deleteOrphans(em, [keywordId]);
      return { result: { productId, keywordId, removed: true }, events };
    });
  }

  /**
   * Changes a keyword's interval and/or pause (it keeps its id and history); `tracking.keyword.updated` with
   * its next version, none when nothing changed. A new interval must not be below the plan's minimum.
   */
  update(input: RankingKeywordUpdateInput): Promise<KeywordView> {
    return this.writer.write(input, async ({ em }) => {
      // Locked, so a concurrent change is applied after this one and announces the state it leaves.
      const keyword = await em.findOne(
        Keyword,
        { id: input.keywordId, tenantId: input.tenantId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!keyword) {
        throw RankingError.notFound('keyword', input.keywordId);
      }
      const intervalMinutes = input.intervalMinutes ?? keyword.intervalMinutes;
      const paused = input.paused ?? keyword.paused;
      if (intervalMinutes !== keyword.intervalMinutes) {
        intervalFor(intervalMinutes, await planOf(em, input.tenantId));
      }
      const changed = intervalMinutes !== keyword.intervalMinutes || paused !== keyword.paused;
      keyword.intervalMinutes = intervalMinutes;
      keyword.paused = paused;
      await em.flush();
      const links = await em.find(ProductKeyword, { keywordId: keyword.id });
      const result = view(keyword, links, await this.crawlHealth.views(em, input.tenantId, [keyword.id]));
      if (!changed) {
        return { result, events: [] };
      }
      const data = {
        keywordId: keyword.id,
        ...versionOf(await this.store.nextKeywordVersions(em, [keyword.id]), keyword.id),
      };
      return { result, events: [pending('tracking.keyword.updated', data, keyword.id)] };
    });
  }

  /** The tenant's keywords (or one product's), each with the products using it. */
  async list(input: RankingKeywordListInput): Promise<Page<KeywordView>> {
    const em = this.writer.reader();
    const scope = input.productId
      ? { tenantId: input.tenantId, id: { $in: await this.keywordIdsOf(em, input.productId) } }
      : { tenantId: input.tenantId };
    const { rows, total } = await entityKeysetPage(em, Keyword, scope, {
      limit: input.limit,
      after: decodeCursor(input.cursor),
    });
    const page = rows.slice(0, input.limit).map((keyword) => keyword.id);
    const links = page.length > 0 ? await em.find(ProductKeyword, { keywordId: { $in: page } }) : [];
    const health = await this.crawlHealth.views(em, input.tenantId, page);
    return toPage(rows, input.limit, total, (keyword) => view(keyword, links, health));
  }

  private async keywordIdsOf(em: EntityManager, productId: string): Promise<string[]> {
    const links = await em.find(ProductKeyword, { productId });
    return links.map((link) => link.keywordId);
  }
}
