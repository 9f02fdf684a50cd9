import type { LatestEntry } from './types';

/** The optional columns of the results table: what some marketplaces tell about a listing. */
export type ListingColumn = 'seller' | 'availability' | 'reviews' | 'condition' | 'placement';

const known = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

/**
 * The optional columns worth showing for these listings: a column appears when any listing has a value for it, so a
 * Naver shelf (which tells none of them) shows none. A seller that is only the mall again (eBay's seller is its
 * "mall") adds nothing and is left out, and so does an all-organic placement (the ranking serves `organic` for a
 * listing the marketplace said nothing of).
 */
export function listingColumns(entries: LatestEntry[]): ListingColumn[] {
  const columns: ListingColumn[] = [];
  if (entries.some((entry) => known(entry.sellerId) && entry.sellerId !== entry.mall)) {
    columns.push('seller');
  }
  if (entries.some((entry) => known(entry.availability))) {
    columns.push('availability');
  }
  if (entries.some((entry) => known(entry.reviewCount) || known(entry.reviewRating))) {
    columns.push('reviews');
  }
  if (entries.some((entry) => known(entry.condition))) {
    columns.push('condition');
  }
  // Every listing has a placement (organic unless the marketplace says sponsored): only a sponsored one tells something.
  if (entries.some((entry) => entry.placement === 'sponsored')) {
    columns.push('placement');
  }
  return columns;
}

/** Column headings. */
export const LISTING_COLUMN_LABELS: Record<ListingColumn, string> = {
  seller: 'Seller',
  availability: 'Availability',
  reviews: 'Reviews',
  condition: 'Condition',
  placement: 'Placement',
};

/** Whether the listing can be bought, in words; '—' when the marketplace did not say. */
export function availabilityText(availability: LatestEntry['availability']): string {
  switch (availability) {
    case 'in_stock':
      return 'In stock';
    case 'limited':
      return 'Limited stock';
    case 'out_of_stock':
      return 'Out of stock';
    case null:
    case undefined:
      return '—';
    default: {
      const never: never = availability;
      return String(never);
    }
  }
}

const ratingFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** "4.5 of 5 · 1,203 reviews", "12 reviews", "4.5 of 5"; '—' when the marketplace gave neither. */
export function reviewsText(count: number | null | undefined, rating: number | null | undefined): string {
  const parts: string[] = [];
  if (known(rating)) {
    parts.push(`${ratingFormat.format(rating)} of 5`);
  }
  if (known(count)) {
    parts.push(`${count.toLocaleString()} ${count === 1 ? 'review' : 'reviews'}`);
  }
  return parts.length === 0 ? '—' : parts.join(' · ');
}

/** One optional cell's text for a listing. */
export function listingCell(entry: LatestEntry, column: ListingColumn): string {
  switch (column) {
    case 'seller':
      return entry.sellerId ?? '—';
    case 'availability':
      return availabilityText(entry.availability);
    case 'reviews':
      return reviewsText(entry.reviewCount, entry.reviewRating);
    case 'condition':
      return entry.condition ?? '—';
    case 'placement':
      return entry.placement === 'sponsored' ? 'Sponsored' : 'Organic';
    default: {
      const never: never = column;
      return String(never);
    }
  }
}
