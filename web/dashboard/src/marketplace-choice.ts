import { DEFAULT_EBAY_SITE, EBAY_SITE_IDS, MARKETPLACES, marketplaceCurrency } from '@shelfwatch/contracts';
import type { MarketplaceView, RankingProductView } from './types';

// The contracts' marketplace facts are plain constants: only they are bundled (build.mjs fails if zod comes along).

/** A marketplace a product can be added on, as the "Marketplace" select offers it. */
export interface MarketplaceChoice {
  id: string;
  /** "Naver Shopping"; the id when the server's list could not be read. */
  name: string;
  /** "needs your credentials" when crawls of it cannot run yet; else null. */
  note: string | null;
}

/**
 * The marketplaces the tenant can use (`GET /v1/marketplaces`), or, when that list cannot be read, every marketplace
 * the platform knows (by id), so a product can still be added.
 */
export function marketplaceChoices(listed: MarketplaceView[] | null): MarketplaceChoice[] {
  if (listed === null || listed.length === 0) {
    return MARKETPLACES.map((id) => ({ id, name: id, note: null }));
  }
  return listed.map((marketplace) => ({
    id: marketplace.id,
    name: marketplace.name,
    note: marketplace.credentials?.source === 'none' ? 'needs your credentials' : null,
  }));
}

/** A marketplace's name from the list, else its id. */
export function marketplaceName(id: string, listed: MarketplaceView[] | null): string {
  return listed?.find((marketplace) => marketplace.id === id)?.name ?? id;
}

const regionNames = new Intl.DisplayNames(undefined, { type: 'region' });

/** "United Kingdom · GBP (EBAY_GB)": an eBay site by its country and currency. */
export function ebaySiteLabel(site: string): string {
  const region = site.split('_')[1] ?? '';
  let country = site;
  try {
    country = regionNames.of(region) ?? site;
  } catch {
    // Not a region code: the site id says it all.
  }
  return `${country} · ${marketplaceCurrency('ebay', site)} (${site})`;
}

/** The eBay sites a product can be on, the default first. */
export const EBAY_SITE_CHOICES: { site: string; label: string }[] = [
  DEFAULT_EBAY_SITE,
  ...EBAY_SITE_IDS.filter((site) => site !== DEFAULT_EBAY_SITE),
].map((site) => ({ site, label: ebaySiteLabel(site) }));

/** The site a new product on `marketplace` is on: the chosen eBay site, null for marketplaces without sites. */
export function siteFor(marketplace: string, chosenSite: string): string | null {
  return marketplace === 'ebay' ? chosenSite || DEFAULT_EBAY_SITE : null;
}

/** The currency of a product's prices: the product's own, else its marketplace's (site's). */
export function productCurrency(product: { marketplace: string; site?: string | null; currency?: string }): string {
  return product.currency ?? marketplaceCurrency(product.marketplace, product.site);
}

/** Where a product is sold, in words: "Naver Shopping", "eBay · United Kingdom · GBP (EBAY_GB)". */
export function productMarketLabel(
  product: Pick<RankingProductView, 'marketplace' | 'site'>,
  listed: MarketplaceView[] | null,
): string {
  const name = marketplaceName(product.marketplace, listed);
  return product.site ? `${name} · ${ebaySiteLabel(product.site)}` : name;
}
