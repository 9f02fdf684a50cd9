import { DecimalType } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/** What an exclusion matches: a marketplace product id, or a mall (seller) name. */
export type ExclusionKind = 'product' | 'mall';

/**
 * A product a seller tracks on one marketplace (and, for eBay, one site: the same item id on two sites is two
 * shelves, so two products; the unique constraint treats a null site as one value).
 */
@Entity({ schema: 'ranking', tableName: 'products' })
@Unique({ properties: ['tenantId', 'marketplace', 'site', 'externalId'] })
export class Product {
  @PrimaryKey({ type: 'uuid' })
  id: string;

  @Property({ type: 'uuid' })
  tenantId: string;

  @Property({ type: 'text' })
  marketplace: string;

  /** The marketplace site (eBay `EBAY_US`, …); null for marketplaces without sites. */
  @Property({ type: 'text', nullable: true })
  site: string | null;

  /** The marketplace's id of the product. */
  @Property({ type: 'text' })
  externalId: string;

  @Property({ type: 'text' })
  name: string;

  /** The seller's own price, in `currency`. */
  @Property({ type: new DecimalType('number'), precision: 14, scale: 2 })
  price: number;

  /** ISO 4217 currency of `price`: the marketplace's (site's); products older than currencies are KRW. */
  @Property({ type: 'text' })
  currency: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date;

  constructor(props: Product) {
    this.id = props.id;
    this.tenantId = props.tenantId;
    this.marketplace = props.marketplace;
    this.site = props.site;
    this.externalId = props.externalId;
    this.name = props.name;
    this.price = props.price;
    this.currency = props.currency;
    this.createdAt = props.createdAt;
  }
}

/**
 * A search text of a tenant on a marketplace's site (a shelf), normalized (trimmed, lower case, single spaces).
 * The site is its products' (null for marketplaces without sites).
 */
@Entity({ schema: 'ranking', tableName: 'keywords' })
@Unique({ properties: ['tenantId', 'marketplace', 'site', 'text'] })
export class Keyword {
  @PrimaryKey({ type: 'uuid' })
  id: string;

  @Property({ type: 'uuid' })
  tenantId: string;

  @Property({ type: 'text' })
  marketplace: string;

  /** The site the keyword is searched on; null for marketplaces without sites. */
  @Property({ type: 'text', nullable: true })
  site: string | null;

  @Property({ type: 'text' })
  text: string;

  /** The keyword's one crawl interval: set at creation, changed only by an update (PATCH). */
  @Property({ type: 'integer' })
  intervalMinutes: number;

  /** A paused keyword is not crawled on schedule. */
  @Property({ type: 'boolean' })
  paused: boolean;

  @Property({ type: 'timestamptz' })
  createdAt: Date;

  constructor(props: Omit<Keyword, 'paused'> & { paused?: boolean }) {
    this.id = props.id;
    this.tenantId = props.tenantId;
    this.marketplace = props.marketplace;
    this.site = props.site;
    this.text = props.text;
    this.intervalMinutes = props.intervalMinutes;
    this.paused = props.paused ?? false;
    this.createdAt = props.createdAt;
  }
}

/** A keyword attached to a product: the product gets a standing on every crawl of the keyword. */
@Entity({ schema: 'ranking', tableName: 'product_keywords' })
export class ProductKeyword {
  @PrimaryKey({ type: 'uuid' })
  productId: string;

  @PrimaryKey({ type: 'uuid' })
  keywordId: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date;

  constructor(props: ProductKeyword) {
    this.productId = props.productId;
    this.keywordId = props.keywordId;
    this.createdAt = props.createdAt;
  }
}

/** Entries matching an exclusion never count as competitors. Mall values are stored normalized. */
@Entity({ schema: 'ranking', tableName: 'exclusions' })
@Unique({ properties: ['tenantId', 'kind', 'value'] })
export class Exclusion {
  @PrimaryKey({ type: 'uuid' })
  id: string;

  @Property({ type: 'uuid' })
  tenantId: string;

  @Enum({ items: ['product', 'mall'], type: 'text' })
  kind: ExclusionKind;

  @Property({ type: 'text' })
  value: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date;

  constructor(props: Exclusion) {
    this.id = props.id;
    this.tenantId = props.tenantId;
    this.kind = props.kind;
    this.value = props.value;
    this.createdAt = props.createdAt;
  }
}

/** Every entity of the ranking's schema. */
export const catalogEntities = [Product, Keyword, ProductKeyword, Exclusion];
