import type { PagingLimits } from '../marketplace-adapter';

/** Rakuten's documented limits: `hits` (results a page) 1–30, `page` 1–100, so 3,000 results at most. */
export const RAKUTEN_MAX_HITS = 30;
export const RAKUTEN_MAX_PAGE = 100;

/**
 * What the crawl planner may ask of the Rakuten adapter. Rakuten pages by `page` and `hits`, the planner by `start`
 * and `display`: the adapter serves every window from one Rakuten page ({@link rakutenPageOf}). `maxStart` is the
 * deepest start (page 72 of 30) from which every window the planner can plan, at every page size from 1 to 30,
 * fits one Rakuten page of at most 30 hits within page 100 (`rakuten.paging.property.spec.ts` proves it); deeper
 * clamped windows of some page sizes straddle two pages. The deepest rank crawled is therefore 2,160 of Rakuten's
 * 3,000, far beyond `CRAWL_MAX_PAGES` (11 pages of 30 = 330).
 */
export const RAKUTEN_PAGING: PagingLimits = { maxStart: 2_131, maxDisplay: RAKUTEN_MAX_HITS };

/** The Rakuten page that holds a window of results. */
export interface RakutenPageRequest {
  /** 1-based Rakuten page, at most 100. */
  page: number;
  /** Results a page (`hits`), from `display` to 30. */
  hits: number;
  /** How many results of the page come before the window's first (`start`). */
  offset: number;
}

/**
 * The Rakuten page of the fewest hits that holds ranks `start … start + display - 1` whole: `hits = display` when
 * the window is page-aligned (every window the planner asks for but a clamped last one), else the smallest larger
 * page size that holds it.
 * @returns null when no page of at most 30 hits within page 100 holds it (deeper than `RAKUTEN_PAGING` allows)
 */
export function rakutenPageOf(start: number, display: number): RakutenPageRequest | null {
  if (!Number.isInteger(start) || !Number.isInteger(display) || start < 1 || display < 1) {
    return null;
  }
  for (let hits = display; hits <= RAKUTEN_MAX_HITS; hits += 1) {
    const first = Math.floor((start - 1) / hits);
    const last = Math.floor((start + display - 2) / hits);
    if (first === last && first < RAKUTEN_MAX_PAGE) {
      return { page: first + 1, hits, offset: start - 1 - first * hits };
    }
  }
  return null;
}
