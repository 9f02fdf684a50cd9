import { currencyDigits, price } from './format';
import type { PriceFigures } from './types';

/** How "my price" reads: the figure, where it came from, and the catalogue price when it differs. */
export interface MyPriceView {
  /** The price compared with competitors (the observed one when there is one). */
  value: number | null;
  /** The ISO 4217 currency of every figure here (absent on data from before currencies: KRW). */
  currency: string | undefined;
  /** "observed at Mall X" / "catalogue price"; null when the gateway does not say. */
  source: string | null;
  /** "catalogue price ₩64,900" when an observed price differs from it; else null. */
  other: string | null;
}

/**
 * My price from a standing or price point; `catalogue` is the product's current catalogue price, and `currency` the
 * currency of both (the standing's, else the product's).
 */
export function myPriceView(
  figures: PriceFigures | null | undefined,
  catalogue: number | null,
  currency: string | undefined,
): MyPriceView {
  if (figures === null || figures === undefined || figures.priceSource === undefined) {
    return { value: figures?.myPrice ?? catalogue, currency, source: null, other: null };
  }
  if (figures.priceSource === 'catalog') {
    return { value: figures.myPrice ?? catalogue, currency, source: 'catalogue price', other: null };
  }
  const typed = figures.catalogPrice ?? catalogue;
  const mall = figures.observedMall ? `observed at ${figures.observedMall}` : 'observed on the shelf';
  const differs = typed !== null && figures.myPrice !== null && figures.myPrice !== typed;
  return {
    value: figures.myPrice,
    currency,
    source: mall,
    other: differs ? `catalogue price ${price(typed, currency)}` : null,
  };
}

/** "₩12,900 (observed at Mall X; catalogue price ₩13,900)" */
export function myPriceText(view: MyPriceView): string {
  const notes = [view.source, view.other].filter((note): note is string => note !== null);
  const figure = price(view.value, view.currency);
  return notes.length === 0 ? figure : `${figure} (${notes.join('; ')})`;
}

/** A listing's price with its currency: "no price" when the marketplace gave none (never 0). */
export function listingPrice(value: number | null | undefined, currency: string | null | undefined): string {
  return value === null || value === undefined ? 'no price' : price(value, currency);
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

/**
 * The price a seller typed, in `currency`: a number, 0 or more, with no more decimals than the currency has (USD
 * 64.99; KRW and JPY whole). Thousands separators (`12,900`) are allowed. Throws a sentence saying what to type.
 */
export function parsePrice(text: string, currency: string): number {
  const typed = text.trim().replace(/,/g, '');
  const value = Number(typed);
  if (typed === '' || !Number.isFinite(value) || value < 0) {
    throw new Error(`Enter your price (a number, 0 or more, in ${currency}).`);
  }
  const digits = currencyDigits(currency);
  const decimals = /\.(\d*)$/.exec(typed)?.[1]?.length ?? 0;
  if (decimals > digits) {
    throw new Error(
      digits === 0
        ? `${currency} prices have no decimals: enter a whole number, like ${priceExample(currency)}.`
        : `${currency} prices have at most ${digits} decimals, like ${priceExample(currency)}.`,
    );
  }
  return value;
}

/** A typical price in `currency` as a seller would type it ("12900", "64.99"). */
export function priceExample(currency: string): string {
  return currencyDigits(currency) === 0 ? '12900' : '64.99';
}
