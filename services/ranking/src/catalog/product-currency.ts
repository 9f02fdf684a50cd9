import { marketplaceCurrency } from '@shelfwatch/contracts';

/**
 * The currency a tracked product's prices are in: its catalogue price, "my price", and every competitor price
 * compared with them. The one place that says it: until the catalogue keeps a product's currency (issue 16, sites),
 * it is its marketplace's.
 */
export function productCurrency(product: { marketplace: string }): string {
  return marketplaceCurrency(product.marketplace, null);
}
