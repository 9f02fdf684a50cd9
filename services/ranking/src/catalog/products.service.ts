import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { RankingError } from '../ranking.errors';
import { Product, ProductKeyword } from './catalog.entities';
import { CatalogWriter, pending } from './catalog-writer';
import { KeywordLinks } from './keyword-links';
import { intervalFor } from './plan-rules';
import { productById, productPage, unrankedKeyword } from './product-views.query';
import { CrawlHealthService } from '../crawl-health/crawl-health.service';
import { TenantLimits } from './tenant-limits';
import { planOf } from './tenant-plan.query';
import { CatalogStore } from './catalog.store';
import {
  Page,
  RankingListInput,
  RankingProductCreateInput,
  RankingProductRefInput,
  RankingProductUpdateInput,
  RankingProductView,
  decodeCursor,
  marketplaceCurrency,
  normalizeSite,
  toPage,
} from '@shelfwatch/contracts';

/** A tracked product as callers see it: each keyword with the product's latest standing on it. */
export type ProductView = RankingProductView;

function view(product: Product, keywords: ProductView['keywords'] = []): ProductView {
  const { id, marketplace, site, currency, externalId, name, price } = product;
  return {
    id,
    marketplace,
    site,
    currency,
    externalId,
    name,
    price,
    createdAt: product.createdAt.toISOString(),
    keywords,
  };
}

/** Loads a tenant's product; another tenant's id is answered as not found. */
export async function findOwnedProduct(em: EntityManager, tenantId: string, productId: string): Promise<Product> {
  const product = await em.findOne(Product, { id: productId, tenantId });
  if (!product) {
    throw RankingError.notFound('product', productId);
  }
  return product;
}

/** The tracked products of a tenant: create (with keywords), read, rename/reprice, stop tracking. */
@Injectable()
export class ProductsService {
  constructor(
    private readonly writer: CatalogWriter,
    private readonly limits: TenantLimits,
    private readonly crawlHealth: CrawlHealthService,
    private readonly links: KeywordLinks,
    private readonly store: CatalogStore,
  ) {}

  /**
   * Creates the product on its site (eBay's default `EBAY_US`, null elsewhere) priced in the site's currency, and
   * attaches its keywords (searched on that site); `tracking.product.added` then one `keyword.added` per link.
   * `limit_exceeded` when the tenant would track too many products or keywords; `invalid` when the
   * interval is below the plan's minimum.
   */
  create(input: RankingProductCreateInput): Promise<ProductView> {
    return this.writer.write(input, async (ctx) => {
      const { tenantId, marketplace, externalId, name, price } = input;
      await this.limits.lock(ctx.em, tenantId);
      const plan = await planOf(ctx.em, tenantId);
      const interval = intervalFor(input.intervalMinutes, plan);
      const site = normalizeSite(marketplace, input.site);
      const currency = marketplaceCurrency(marketplace, site);
      const product = new Product({
        id: ctx.newId(),
        tenantId,
        marketplace,
        site,
        externalId,
        name,
        price,
        currency,
        createdAt: ctx.now,
      });
      ctx.em.persist(product);
      const attached = await this.links.attach(ctx, product, input.keywords ?? [], interval);
      await this.limits.check(ctx.em, tenantId, product.id, plan);
      const version = await this.store.nextProductVersion(ctx.em, product.id);
      const added = pending(
        'tracking.product.added',
        { productId: product.id, marketplace, site, currency, externalId, name, price, version },
        product.id,
      );
      const unranked = attached.map(({ keyword }) => unrankedKeyword(keyword, product));
      return {
        result: await this.crawlHealth.ofProduct(ctx.em, tenantId, view(product, unranked)),
        events: [added, ...(await this.links.addedEvents(ctx.em, product, attached))],
      };
    });
  }

  /** The product with its keywords and standings (one statement). */
  async get(input: RankingProductRefInput): Promise<ProductView> {
    const em = this.writer.reader();
    const product = await productById(em, input.tenantId, input.productId);
    if (!product) {
      throw RankingError.notFound('product', input.productId);
    }
    return this.crawlHealth.ofProduct(em, input.tenantId, product);
  }

  /** A page of products with their keywords and standings, and the count: one statement (product-views.query.ts). */
  async list(input: RankingListInput): Promise<Page<ProductView>> {
    const em = this.writer.reader();
    const page = await productPage(em, input.tenantId, decodeCursor(input.cursor), input.limit);
    const rows = await this.crawlHealth.ofProducts(em, input.tenantId, page.rows);
    return toPage(rows, input.limit, page.total, (product) => product);
  }

  /** Renames or reprices; `tracking.product.updated`. */
  update(input: RankingProductUpdateInput): Promise<ProductView> {
    return this.writer.write(input, async ({ em }) => {
      const product = await findOwnedProduct(em, input.tenantId, input.productId);
      product.name = input.name ?? product.name;
      product.price = input.price ?? product.price;
      const { id: productId, name, price } = product;
      await em.flush();
      const version = await this.store.nextProductVersion(em, productId);
      const keywords = (await productById(em, input.tenantId, productId))?.keywords ?? [];
      return {
        result: await this.crawlHealth.ofProduct(em, input.tenantId, view(product, keywords)),
        events: [pending('tracking.product.updated', { productId, name, price, version }, productId)],
      };
    });
  }

  /** Stops tracking: `keyword.removed` per link, then `product.removed`; unused keywords go too. */
  remove(input: RankingProductRefInput): Promise<{ productId: string; removed: true }> {
    return this.writer.write(input, async ({ em }) => {
      const product = await findOwnedProduct(em, input.tenantId, input.productId);
      const productId = product.id;
      const links = await em.find(ProductKeyword, { productId });
      const keywordIds = links.map((link) => link.keywordId);
      const version = await this.store.nextProductVersion(em, productId);
      const removed = await this.links.removedEvents(em, productId, keywordIds);
      await em.nativeDelete(ProductKeyword, { productId });
      await em.nativeDelete(Product, { id: productId });
      await this.links.deleteOrphans(em, keywordIds);
      em.clear();
      return {
        result: { productId, removed: true },
        events: [...removed, pending('tracking.product.removed', { productId, version }, productId)],
      };
    });
  }
}
