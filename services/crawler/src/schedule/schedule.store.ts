import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

/** The crawler's projection of the tracking catalog: what to crawl, for whom, and which products to look for. */
@Injectable()
export class ScheduleStore {
  async upsertProduct(
    em: EntityManager,
    product: { productId: string; tenantId: string; marketplace: string; externalId: string },
  ): Promise<void> {
    await em.execute(
      `insert into crawler.products (product_id, tenant_id, marketplace, external_id) values (?, ?, ?, ?)
       on conflict (product_id) do update set external_id = excluded.external_id, marketplace = excluded.marketplace`,
      [product.productId, product.tenantId, product.marketplace, product.externalId],
      'run',
    );
  }

  /** Forgets a product and unschedules keywords no remaining product uses. */
  async removeProduct(em: EntityManager, productId: string): Promise<void> {
    const keywords = await em.execute<{ keyword_id: string }[]>(
      'delete from crawler.keyword_products where product_id = ? returning keyword_id',
      [productId],
    );
    await em.execute('delete from crawler.products where product_id = ?', [productId], 'run');
    await this.dropUnused(
      em,
      keywords.map((row) => row.keyword_id),
    );
  }

  /**
   * Schedules a keyword (first crawl at `firstDue` when new; an existing keyword keeps its due time and
   * takes the shorter interval) and links the product to it.
   */
  async addKeyword(
    em: EntityManager,
    keyword: {
      keywordId: string;
      tenantId: string;
      marketplace: string;
      text: string;
      intervalMinutes: number;
      productId: string;
    },
    firstDue: Date,
  ): Promise<void> {
    await em.execute(
      `insert into crawler.keywords (keyword_id, tenant_id, marketplace, text, interval_minutes, next_due_at)
       values (?, ?, ?, ?, ?, ?)
       on conflict (keyword_id) do update set interval_minutes = least(crawler.keywords.interval_minutes, excluded.interval_minutes)`,
      [keyword.keywordId, keyword.tenantId, keyword.marketplace, keyword.text, keyword.intervalMinutes, firstDue],
      'run',
    );
    await em.execute(
      'insert into crawler.keyword_products (keyword_id, product_id) values (?, ?) on conflict do nothing',
      [keyword.keywordId, keyword.productId],
      'run',
    );
  }

  async removeKeyword(em: EntityManager, keywordId: string, productId: string): Promise<void> {
    await em.execute(
      'delete from crawler.keyword_products where keyword_id = ? and product_id = ?',
      [keywordId, productId],
      'run',
    );
    await this.dropUnused(em, [keywordId]);
  }

  private async dropUnused(em: EntityManager, keywordIds: string[]): Promise<void> {
    for (const keywordId of new Set(keywordIds)) {
      await em.execute(
        `delete from crawler.keywords k where k.keyword_id = ?
           and not exists (select 1 from crawler.keyword_products kp where kp.keyword_id = k.keyword_id)`,
        [keywordId],
        'run',
      );
    }
  }
}
