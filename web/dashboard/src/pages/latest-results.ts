import { h } from '../dom';
import { price, priceGap, rankChange } from '../format';
import { listingPrice, myPriceText, myPriceView } from '../price-format';
import type { LatestView, RankingProductView } from '../types';

const FIRST_ROWS = 20;

type Entry = LatestView['entries'][number];

/** One line per tracked product: where it stands, my price and where it came from, and who undercuts it. */
export function standingsList(latest: LatestView, products: Map<string, RankingProductView>): HTMLElement {
  return h(
    'ul',
    { class: 'standings' },
    ...latest.standings.map((standing) => {
      const change = rankChange(standing.change);
      const product = products.get(standing.productId);
      const mine = myPriceView(standing, product?.price ?? null);
      const gap = priceGap(mine.value, standing.lowestCompetitorPrice);
      const competitor = standing.lowestCompetitor;
      return h(
        'li',
        {},
        h('strong', {}, product?.name ?? 'A tracked product'),
        ': ',
        standing.rank === null ? 'not found on the crawled pages' : `rank #${standing.rank} `,
        standing.rank === null ? null : h('span', { class: `change ${change.tone}` }, `(${change.label})`),
        '. My price ',
        h('span', { class: 'my-price' }, myPriceText(mine)),
        '. Lowest competitor ',
        price(standing.lowestCompetitorPrice),
        competitor ? ` (${competitor.mall}, #${competitor.rank})` : '',
        ' — ',
        h('span', { class: gap.undercut ? 'undercut' : '' }, gap.text),
        '.',
      );
    }),
  );
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

function row(entry: Entry, mine: string | null): HTMLTableRowElement {
  const isMine = entry.productId !== null && entry.productId === mine;
  const classes = [isMine ? 'mine' : '', entry.excluded ? 'excluded' : ''].join(' ').trim();
  return h(
    'tr',
    { class: classes, 'aria-current': isMine ? 'true' : false, 'data-external-id': entry.externalId },
    h('td', { 'data-label': 'Rank', class: 'num' }, `#${entry.rank}`),
    h('td', { 'data-label': 'Listing' }, entry.title),
    h('td', { 'data-label': 'Mall' }, entry.mall),
    h('td', { 'data-label': 'Brand' }, entry.brand || '—'),
    h('td', { 'data-label': 'Price', class: entry.price === null ? 'muted' : 'num' }, listingPrice(entry.price)),
    h('td', { 'data-label': 'Note' }, ...note(entry, mine)),
  );
}

/** The latest shelf in rank order: my product highlighted, other tracked products and exclusions marked. */
export function latestTable(latest: LatestView, mine: string | null): HTMLElement {
  const body = h('tbody', {});
  const show = (entries: Entry[]): void => body.replaceChildren(...entries.map((entry) => row(entry, mine)));
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
  const table = h(
    'table',
    { class: 'results responsive' },
    h('caption', { class: 'sr-only' }, 'Latest crawl results in rank order'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Rank', 'Listing', 'Mall', 'Brand', 'Price', 'Note'].map((text) => h('th', { scope: 'col' }, text)),
      ),
    ),
    body,
  );
  return h('div', {}, h('div', { class: 'table-wrap' }, table), more);
}
