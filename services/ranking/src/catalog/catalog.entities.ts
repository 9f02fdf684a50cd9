import { DecimalType } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/** What an exclusion matches: a marketplace product id, or a mall (seller) name. */
export type ExclusionKind = 'product' | 'mall';

/** A product a seller tracks on one marketplace. */
@Entity({ schema: 'ranking', tableName: 'products' })
@Unique({ properties: ['tenantId', 'marketplace', 'externalId'] })
export class Product {
  @PrimaryKey({ type: 'uuid' })
  id: string;

  @Property({ type: 'uuid' })
  tenantId: string;

  @Property({ type: 'text' })
  marketplace: string;

  /** The marketplace's id of the product. */
  @Property({ type: 'text' })
  externalId: string;

  @Property({ type: 'text' })
  name: string;

  /** The seller's own price. */
  @Property({ type: new DecimalType('number'), precision: 14, scale: 2 })
  price: number;

  @Property({ type: 'timestamptz' })
  createdAt: Date;

  constructor(props: Product) {
    this.id = props.id;
    this.tenantId = props.tenantId;
    this.marketplace = props.marketplace;
    this.externalId = props.externalId;
    this.name = props.name;
    this.price = props.price;
    this.createdAt = props.createdAt;
  }
}

/** A search text of a tenant on a marketplace, normalized (trimmed, lower case, single spaces). */
@Entity({ schema: 'ranking', tableName: 'keywords' })
@Unique({ properties: ['tenantId', 'marketplace', 'text'] })
export class Keyword {
  @PrimaryKey({ type: 'uuid' })
  id: string;

  @Property({ type: 'uuid' })
  tenantId: string;

  @Property({ type: 'text' })
  marketplace: string;

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
