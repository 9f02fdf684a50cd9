import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { EventEnvelope, RankingProductView } from '@shelfwatch/contracts';
import { HandlerContext } from '@shelfwatch/messaging';
import { CrawlHealthView, UNKNOWN_HEALTH, crawlHealthOf } from './crawl-health';
import { CrawlHealthStore } from './crawl-health.store';

/** Consecutive failed crawls after which a keyword is shown as failing (`CRAWL_FAILING_AFTER`). */
export const CRAWL_FAILING_AFTER = Symbol('CRAWL_FAILING_AFTER');

/**
 * Projects final crawl outcomes into each keyword's crawl health (in the handler's transaction, so a
 * redelivery is a no-op) and serves it with the keyword views.
 */
@Injectable()
export class CrawlHealthService {
  constructor(
    @Inject(CRAWL_FAILING_AFTER) private readonly failingAfter: number,
    private readonly store: CrawlHealthStore,
  ) {}

  /** A completed crawl (any part of it): the keyword is healthy again. */
  completed(event: EventEnvelope<'crawl.completed'>, ctx: HandlerContext): Promise<void> {
    const { crawlId, keywordId, completedAt } = event.data;
    return this.store.record(ctx.em, event.tenantId, keywordId, {
      kind: 'completed',
      crawlId,
      at: new Date(completedAt),
    });
  }

  /** A failed crawl counts once it is final: an attempt the crawler retries does not. */
  async failed(event: EventEnvelope<'crawl.failed'>, ctx: HandlerContext): Promise<void> {
    const { crawlId, keywordId, failedAt, code, message, willRetry } = event.data;
    if (willRetry === true) {
      return;
    }
    const at = new Date(failedAt);
    await this.store.record(ctx.em, event.tenantId, keywordId, { kind: 'failed', crawlId, at, code, message });
  }

  /** The crawl health of these keywords of the tenant, by keyword id (every id present). */
  async views(em: EntityManager, tenantId: string, keywordIds: string[]): Promise<Map<string, CrawlHealthView>> {
    const outcomes = await this.store.ofKeywords(em, tenantId, keywordIds);
    return new Map(keywordIds.map((id) => [id, crawlHealthOf(outcomes.get(id) ?? [], this.failingAfter)]));
  }

  /** These product views with each keyword's crawl health. */
  async ofProducts(em: EntityManager, tenantId: string, products: RankingProductView[]): Promise<RankingProductView[]> {
    const ids = [...new Set(products.flatMap((product) => product.keywords.map((keyword) => keyword.keywordId)))];
    const health = await this.views(em, tenantId, ids);
    return products.map((product) => ({
      ...product,
      keywords: product.keywords.map((keyword) => ({
        ...keyword,
        crawlHealth: health.get(keyword.keywordId) ?? UNKNOWN_HEALTH,
      })),
    }));
  }

  /** One product view with each keyword's crawl health. */
  async ofProduct(em: EntityManager, tenantId: string, product: RankingProductView): Promise<RankingProductView> {
    const [withHealth] = await this.ofProducts(em, tenantId, [product]);
    return withHealth ?? product;
  }
}
