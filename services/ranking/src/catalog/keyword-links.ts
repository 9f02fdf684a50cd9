import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Keyword, Product, ProductKeyword } from './catalog.entities';
import { PendingEvent, WriteContext, pending } from './catalog-writer';
import { CatalogStore } from './catalog.store';
import { versionOf } from './versions';

/** A keyword attached to a product, and whether this call created the link. */
export interface AttachedKeyword {
  keyword: Keyword;
  linked: boolean;
}

/**
 * A product's keyword links: attaching texts (reusing the tenant's keyword of the same text), and the
 * `tracking.keyword.*` events of links made or about to be removed, each with the keyword's next version.
 */
@Injectable()
export class KeywordLinks {
  constructor(private readonly store: CatalogStore) {}

  /**
   * Attaches normalized keyword texts to a product: reuses the tenant's keyword of the same text on the
   * product's marketplace and site (so every product of that text shares one keyword id, and keeps its own interval:
   * `intervalMinutes` is only given to the keywords this creates), creates the others.
   * Three queries whatever the number of texts.
   */
  async attach(
    ctx: WriteContext,
    product: Product,
    texts: readonly string[],
    intervalMinutes: number,
  ): Promise<AttachedKeyword[]> {
    const unique = [...new Set(texts)];
    if (unique.length === 0) {
      return [];
    }
    const scope = { tenantId: product.tenantId, marketplace: product.marketplace, site: product.site };
    const existing = await ctx.em.find(Keyword, { ...scope, text: { $in: unique } });
    const byText = new Map(existing.map((keyword) => [keyword.text, keyword]));
    const keywords = unique.map((text) => {
      const found = byText.get(text);
      if (found) {
        return found;
      }
      const created = new Keyword({ id: ctx.newId(), ...scope, text, intervalMinutes, createdAt: ctx.now });
      ctx.em.persist(created);
      return created;
    });
    // Links have no ORM relations, so the unit of work cannot order them after their product and keywords.
    await ctx.em.flush();
    const links = await ctx.em.find(ProductKeyword, {
      productId: product.id,
      keywordId: { $in: keywords.map((keyword) => keyword.id) },
    });
    const linkedIds = new Set(links.map((link) => link.keywordId));
    return keywords.map((keyword) => {
      const linked = !linkedIds.has(keyword.id);
      if (linked) {
        ctx.em.persist(new ProductKeyword({ productId: product.id, keywordId: keyword.id, createdAt: ctx.now }));
      }
      return { keyword, linked };
    });
  }

  /**
   * `tracking.keyword.added` for every link an attach created, each with the keyword's next version and the
   * interval and pause the keyword has at that version. Flushes the attach first.
   */
  async addedEvents(
    em: EntityManager,
    product: Product,
    attached: readonly AttachedKeyword[],
  ): Promise<PendingEvent[]> {
    const linked = attached.filter((entry) => entry.linked).map((entry) => entry.keyword);
    await em.flush();
    const versions = await this.store.nextKeywordVersions(
      em,
      linked.map((keyword) => keyword.id),
    );
    return linked.map((keyword) =>
      pending(
        'tracking.keyword.added',
        {
          productId: product.id,
          keywordId: keyword.id,
          keyword: keyword.text,
          marketplace: keyword.marketplace,
          site: keyword.site,
          ...versionOf(versions, keyword.id),
        },
        keyword.id,
      ),
    );
  }

  /**
   * `tracking.keyword.removed` for links of a product about to be deleted, each with the keyword's next
   * version: call it before the links and orphan keywords are deleted.
   */
  async removedEvents(em: EntityManager, productId: string, keywordIds: readonly string[]): Promise<PendingEvent[]> {
    const versions = await this.store.nextKeywordVersions(em, keywordIds);
    return keywordIds.map((keywordId) =>
      pending(
        'tracking.keyword.removed',
        { productId, keywordId, version: versionOf(versions, keywordId).version },
        keywordId,
      ),
    );
  }

  /** Deletes the given keywords that no product uses any more (their rankings history stays). */
  deleteOrphans(em: EntityManager, keywordIds: readonly string[]): Promise<void> {
    return this.store.deleteOrphanKeywords(em, keywordIds);
  }
}
