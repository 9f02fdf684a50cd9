import { price } from './format';
import type { PriceFigures } from './types';

/** How "my price" reads: the figure, where it came from, and the catalogue price when it differs. */
export interface MyPriceView {
  /** The price compared with competitors (the observed one when there is one). */
  value: number | null;
  /** "observed at Mall X" / "catalogue price"; null when the gateway does not say. */
  source: string | null;
  /** "catalogue price 64,900" when an observed price differs from it; else null. */
  other: string | null;
}

/** My price from a standing or price point; `catalogue` is the product's current catalogue price. */
export function myPriceView(figures: PriceFigures | null | undefined, catalogue: number | null): MyPriceView {
  if (figures === null || figures === undefined || figures.priceSource === undefined) {
    return { value: figures?.myPrice ?? catalogue, source: null, other: null };
  }
  if (figures.priceSource === 'catalog') {
    return { value: figures.myPrice ?? catalogue, source: 'catalogue price', other: null };
  }
  const typed = figures.catalogPrice ?? catalogue;
  const mall = figures.observedMall ? `observed at ${figures.observedMall}` : 'observed on the shelf';
  const differs = typed !== null && figures.myPrice !== null && figures.myPrice !== typed;
  return { value: figures.myPrice, source: mall, other: differs ? `catalogue price ${price(typed)}` : null };
}

/** "12,900 (observed at Mall X; catalogue price 13,900)" */
export function myPriceText(view: MyPriceView): string {
  const notes = [view.source, view.other].filter((note): note is string => note !== null);
  return notes.length === 0 ? price(view.value) : `${price(view.value)} (${notes.join('; ')})`;
}

/** A listing's price: "no price" when the marketplace gave none (never 0). */
export function listingPrice(value: number | null | undefined): string {
  return value === null || value === undefined ? 'no price' : price(value);
}

/** The legend of "my price" on the price chart, from the sources of its points. */
export function myPriceLegend(points: PriceFigures[]): string {
  const sources = new Set(points.map((point) => point.priceSource).filter((source) => source !== undefined));
  if (sources.size === 0) {
    return 'My price';
  }
  if (sources.size > 1) {
    return 'My price (observed where seen, else catalogue)';
  }
  return sources.has('observed') ? 'My price (observed)' : 'My price (catalogue)';
}
