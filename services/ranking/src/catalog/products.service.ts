import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { RankingError } from '../ranking.errors';
import { Product, ProductKeyword } from './catalog.entities';
import { CatalogWriter, pending } from './catalog-writer';
import { CreateProductInput, ListInput, ProductRefInput, UpdateProductInput } from './catalog.schemas';
import { attachKeywords, deleteOrphanKeywords, keywordAddedEvents, keywordsOfProducts } from './keyword-links';
import { Page, decodeCursor, toPage } from './pagination';

/** A tracked product as callers see it. */
export interface ProductView {
  id: string;
  marketplace: string;
  externalId: string;
  name: string;
  price: number;
  createdAt: string;
  keywords: { keywordId: string; keyword: string }[];
}

function view(product: Product, keywords: ProductView['keywords'] = []): ProductView {
  const { id, marketplace, externalId, name, price } = product;
  return { id, marketplace, externalId, name, price, createdAt: product.createdAt.toISOString(), keywords };
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
  constructor(private readonly writer: CatalogWriter) {}

  /** Creates the product, attaches its keywords; `tracking.product.added` then one `keyword.added` per link. */
  create(input: CreateProductInput): Promise<ProductView> {
    return this.writer.write(input, async (ctx) => {
      const { tenantId, marketplace, externalId, name, price } = input;
      const product = new Product({
        id: ctx.newId(),
        tenantId,
        marketplace,
        externalId,
        name,
        price,
        createdAt: ctx.now,
      });
      ctx.em.persist(product);
      const attached = await attachKeywords(ctx, product, input.keywords ?? [], input.intervalMinutes);
      const added = pending(
        'tracking.product.added',
        { productId: product.id, marketplace, externalId, name, price },
        product.id,
      );
      return {
        result: view(
          product,
          attached.map(({ keyword }) => ({ keywordId: keyword.id, keyword: keyword.text })),
        ),
        events: [added, ...keywordAddedEvents(product, attached)],
      };
    });
  }

  async get(input: ProductRefInput): Promise<ProductView> {
    const em = this.writer.reader();
    const product = await findOwnedProduct(em, input.tenantId, input.productId);
    const keywords = await keywordsOfProducts(em, [product.id]);
    return view(product, keywords.get(product.id));
  }

  async list(input: ListInput): Promise<Page<ProductView>> {
    const em = this.writer.reader();
    const after = decodeCursor(input.cursor);
    const [rows, total] = await Promise.all([
      em.find(
        Product,
        { tenantId: input.tenantId, ...(after ? { id: { $gt: after } } : {}) },
        { orderBy: { id: 'asc' }, limit: input.limit + 1 },
      ),
      em.count(Product, { tenantId: input.tenantId }),
    ]);
    const keywords = await keywordsOfProducts(
      em,
      rows.slice(0, input.limit).map((product) => product.id),
    );
    return toPage(rows, input.limit, total, (product) => view(product, keywords.get(product.id)));
  }

  /** Renames or reprices; `tracking.product.updated`. */
  update(input: UpdateProductInput): Promise<ProductView> {
    return this.writer.write(input, async ({ em }) => {
      const product = await findOwnedProduct(em, input.tenantId, input.productId);
      product.name = input.name ?? product.name;
      product.price = input.price ?? product.price;
      const { id: productId, name, price } = product;
      const keywords = await keywordsOfProducts(em, [productId]);
      return {
        result: view(product, keywords.get(productId)),
        events: [pending('tracking.product.updated', { productId, name, price }, productId)],
      };
    });
  }

  /** Stops tracking: `keyword.removed` per link, then `product.removed`; unused keywords go too. */
  remove(input: ProductRefInput): Promise<{ productId: string; removed: true }> {
    return this.writer.write(input, async ({ em }) => {
      const product = await findOwnedProduct(em, input.tenantId, input.productId);
      const productId = product.id;
      const links = await em.find(ProductKeyword, { productId });
      const keywordIds = links.map((link) => link.keywordId);
      await em.nativeDelete(ProductKeyword, { productId });
      await em.nativeDelete(Product, { id: productId });
      await deleteOrphanKeywords(em, keywordIds);
      em.clear();
      const removed = keywordIds.map((keywordId) =>
        pending('tracking.keyword.removed', { productId, keywordId }, keywordId),
      );
      return {
        result: { productId, removed: true },
        events: [...removed, pending('tracking.product.removed', { productId }, productId)],
      };
    });
  }
}
