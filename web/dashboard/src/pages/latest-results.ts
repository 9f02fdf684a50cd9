import { h } from '../dom';
import { price, priceGap, rankChange } from '../format';
import { LISTING_COLUMN_LABELS, ListingColumn, listingCell, listingColumns } from '../listing-format';
import { listingPrice, myPriceText, myPriceView } from '../price-format';
import type { LatestView, RankingProductView } from '../types';
import { rankCell } from './rank-cell';

const FIRST_ROWS = 20;

type Entry = LatestView['entries'][number];

/** What the latest results are read with: the tracked products, and the keyword's currency and marketplace. */
export interface LatestContext {
  products: Map<string, RankingProductView>;
  /** The product's currency, for standings and listings from before currencies were kept. */
  currency: string;
  marketplaceName: string;
}

/** One line per tracked product: where it stands, my price and where it came from, and who undercuts it. */
export function standingsList(latest: LatestView, context: LatestContext): HTMLElement {
  const fidelity = latest.crawl?.orderFidelity;
  return h(
    'ul',
    { class: 'standings' },
    ...latest.standings.map((standing) => {
      const change = rankChange(standing.change);
      const product = context.products.get(standing.productId);
      const currency = standing.currency ?? context.currency;
      const mine = myPriceView(standing, product?.price ?? null, currency);
      const gap = priceGap(mine.value, standing.lowestCompetitorPrice, currency);
      const competitor = standing.lowestCompetitor;
      return h(
        'li',
        {},
        h('strong', {}, product?.name ?? 'A tracked product'),
        ': ',
        standing.rank === null
          ? 'not found on the crawled pages'
          : ['rank ', rankCell(standing.rank, fidelity, context.marketplaceName), ' '],
        standing.rank === null ? null : h('span', { class: `change ${change.tone}` }, `(${change.label})`),
        '. My price ',
        h('span', { class: 'my-price' }, myPriceText(mine)),
        '. Lowest competitor ',
        price(standing.lowestCompetitorPrice, currency),
        competitor
          ? [' (', competitor.mall, ', ', rankCell(competitor.rank, fidelity, context.marketplaceName), ')']
          : '',
        ' — ',
        h('span', { class: gap.undercut ? 'undercut' : '' }, gap.text),
        '.',
        otherCurrencies(standing.otherCurrencyCompetitors),
      );
    }),
  );
}

/** Competitors priced in another currency are never compared: say how many there were. */
function otherCurrencies(count: number | undefined): string | null {
  if (count === undefined || count === 0) {
    return null;
  }
  return ` ${count} ${count === 1 ? 'competitor was' : 'competitors were'} priced in another currency and not compared.`;
}

function note(entry: Entry, mine: string | null): (HTMLElement | string)[] {
  const notes: (HTMLElement | string)[] = [];
  if (entry.productId !== null && entry.productId === mine) {
    notes.push(h('span', { class: 'badge mine' }, 'Your product'));
  } else if (entry.productId !== null) {
    notes.push(h('span', { class: 'badge tracked' }, 'Yours (other product)'));
  }
  if (entry.excluded) {
    notes.push(h('span', { class: 'badge excluded', title: 'Excluded: not counted as a competitor' }, 'Excluded'));
  }
  return notes;
}

function row(
  entry: Entry,
  latest: LatestView,
  context: LatestContext,
  extra: ListingColumn[],
  mine: string | null,
): HTMLTableRowElement {
  const isMine = entry.productId !== null && entry.productId === mine;
  const classes = [isMine ? 'mine' : '', entry.excluded ? 'excluded' : ''].join(' ').trim();
  return h(
    'tr',
    { class: classes, 'aria-current': isMine ? 'true' : false, 'data-external-id': entry.externalId },
    h(
      'td',
      { 'data-label': 'Rank', class: 'num' },
      rankCell(entry.rank, latest.crawl?.orderFidelity, context.marketplaceName),
    ),
    h('td', { 'data-label': 'Listing' }, entry.title),
    h('td', { 'data-label': 'Mall' }, entry.mall),
    h('td', { 'data-label': 'Brand' }, entry.brand || '—'),
    h(
      'td',
      { 'data-label': 'Price', class: entry.price === null ? 'muted' : 'num' },
      listingPrice(entry.price, entry.currency ?? context.currency),
    ),
    ...extra.map((column) => {
      const text = listingCell(entry, column);
      // On a phone a fact this listing did not give is left out rather than shown as a dash.
      const classes = `extra ${column}${text === '—' ? ' unknown' : ''}`;
      return h('td', { 'data-label': LISTING_COLUMN_LABELS[column], class: classes }, text);
    }),
    h('td', { 'data-label': 'Note' }, ...note(entry, mine)),
  );
}

/**
 * The latest shelf in rank order: my product highlighted, other tracked products and exclusions marked, and the
 * listing facts the marketplace gave (seller, availability, reviews, …) in columns shown only when some listing has them.
 */
export function latestTable(latest: LatestView, context: LatestContext, mine: string | null): HTMLElement {
  const extra = listingColumns(latest.entries);
  const body = h('tbody', {});
  const show = (entries: Entry[]): void =>
    body.replaceChildren(...entries.map((entry) => row(entry, latest, context, extra, mine)));
  const firstRows = latest.entries.slice(0, FIRST_ROWS);
  // Always show my product, even when it ranks below the first rows.
  const mineBelow = latest.entries.slice(FIRST_ROWS).filter((entry) => entry.productId !== null);
  show([...firstRows, ...mineBelow]);
  const more =
    latest.entries.length > FIRST_ROWS
      ? h(
          'button',
          {
            type: 'button',
            onclick: (event: Event) => (show(latest.entries), (event.currentTarget as HTMLElement).remove()),
          },
          `Show all ${latest.entries.length} listings`,
        )
      : null;
  const headings = ['Rank', 'Listing', 'Mall', 'Brand', 'Price', ...extra.map((c) => LISTING_COLUMN_LABELS[c]), 'Note'];
  const table = h(
    'table',
    { class: 'results responsive' },
    h('caption', { class: 'sr-only' }, 'Latest crawl results in rank order'),
    h('thead', {}, h('tr', {}, ...headings.map((text) => h('th', { scope: 'col' }, text)))),
    body,
  );
  return h('div', {}, h('div', { class: 'table-wrap' }, table), more);
}
