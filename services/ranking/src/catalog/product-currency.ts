/**
 * The currency a tracked product's prices are in: its catalogue price, "my price", and every competitor price
 * compared with them. The one place that says it: the catalogue's `currency` of the product (its marketplace's, its
 * site's on eBay; KRW for products older than currencies).
 */
export function productCurrency(product: { currency: string }): string {
  return product.currency;
}
