import { confirmDialog } from '../dialog';
import { h, replace } from '../dom';
import { ago, dateTime, price, priceGap, rankChange } from '../format';
import type { PageContext } from '../page';
import { failingBadge } from '../keyword-settings';
import { marketplaceName, productCurrency, productMarketLabel } from '../marketplace-choice';
import { myPriceView } from '../price-format';
import type { KeywordView, MarketplaceView, ProductKeyword, RankingProductView } from '../types';
import { renderExclusions } from './exclusions';
import { keywordsById } from './keyword-schedule';
import { addKeywordDialog, addProductDialog, editProductDialog } from './product-forms';
import { rankCell } from './rank-cell';

const COLUMNS = ['Keyword', 'Rank', 'Change', 'Lowest competitor', 'Against my price', 'Last crawled', ''];

/** Products: every tracked product with its keywords and standings; add, edit, remove; exclusions. */
export async function renderProducts(ctx: PageContext, _params: URLSearchParams, main: HTMLElement): Promise<void> {
  const [products, overview, keywords, marketplaces] = await Promise.all([
    ctx.products(),
    overviewOf(ctx),
    keywordsById(ctx),
    ctx.marketplaces(),
  ]);
  if (ctx.left()) {
    return;
  }
  const reload = (): void => {
    ctx.invalidateProducts();
    void renderProducts(ctx, new URLSearchParams(), main);
  };
  const addButton = h(
    'button',
    { type: 'button', class: 'primary', onclick: () => addProductDialog(ctx, marketplaces, reload) },
    'Add a product',
  );
  const exclusions = h('section', { 'aria-labelledby': 'exclusions-title' });
  replace(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Products'), addButton),
    overview,
    products.length === 0
      ? h('p', { class: 'empty' }, 'No products yet. Add one with the keywords shoppers type to find it.')
      : productsTable(ctx, products, { keywords, marketplaces }, reload),
    exclusions,
  );
  await renderExclusions(ctx, exclusions);
}

async function overviewOf(ctx: PageContext): Promise<HTMLElement | null> {
  try {
    const view = await ctx.api.get('/v1/reports/dashboard');
    const open = Object.values(view.openAlerts).reduce((sum, count) => sum + count, 0);
    const stat = (label: string, value: string): HTMLElement =>
      h('div', { class: 'stat' }, h('dt', {}, label), h('dd', {}, value));
    return h(
      'dl',
      { class: 'stats', 'aria-label': 'Overview' },
      stat('Products', String(view.trackedProducts)),
      stat('Keywords', String(view.trackedKeywords)),
      stat('Average rank', view.averageRank === null ? '—' : view.averageRank.toFixed(1)),
      stat('Open alerts', String(open)),
      stat('Crawls (24 h)', `${view.crawlsLast24h.completed} done, ${view.crawlsLast24h.failed} failed`),
      stat('Last crawl', ago(view.lastSuccessfulCrawlAt, new Date())),
    );
  } catch {
    // The overview is a convenience: without the reporting service the product table still works.
    return null;
  }
}

/** What the table reads besides the products: keyword settings, and marketplace names. */
interface Lookups {
  keywords: Map<string, KeywordView>;
  marketplaces: MarketplaceView[] | null;
}

function productsTable(
  ctx: PageContext,
  products: RankingProductView[],
  lookups: Lookups,
  reload: () => void,
): HTMLElement {
  const head = h('thead', {}, h('tr', {}, ...COLUMNS.map((text) => h('th', { scope: 'col' }, text))));
  const table = h(
    'table',
    { class: 'products responsive' },
    h('caption', { class: 'sr-only' }, `${products.length} tracked products with their keywords`),
    head,
    ...products.map((product) => productRows(ctx, product, lookups, reload)),
  );
  return h('div', { class: 'table-wrap' }, table);
}

function productRows(
  ctx: PageContext,
  product: RankingProductView,
  lookups: Lookups,
  reload: () => void,
): HTMLTableSectionElement {
  const currency = productCurrency(product);
  const remove = (): void =>
    confirmDialog(
      `Stop tracking ${product.name}?`,
      'Its keywords stop being crawled for it. Its history stays available.',
      'Stop tracking',
      async () => {
        await ctx.api.delete('/v1/products/{id}', { params: { id: product.id } });
        ctx.announce(`${product.name} is no longer tracked`);
        reload();
      },
    );
  const header = h(
    'tr',
    { class: 'product' },
    h(
      'th',
      { scope: 'rowgroup', colspan: COLUMNS.length },
      h(
        'div',
        { class: 'product-head' },
        h('span', { class: 'product-name' }, product.name),
        h(
          'span',
          { class: 'market', 'data-marketplace': product.marketplace },
          productMarketLabel(product, lookups.marketplaces),
        ),
        h('span', { class: 'muted' }, `${product.externalId} · my price ${price(product.price, currency)} (catalogue)`),
        h(
          'span',
          { class: 'row-actions' },
          h(
            'button',
            {
              type: 'button',
              onclick: () => editProductDialog(ctx, product, reload),
              'aria-label': `Edit ${product.name}`,
            },
            'Edit',
          ),
          h(
            'button',
            {
              type: 'button',
              onclick: () => addKeywordDialog(ctx, product, reload),
              'aria-label': `Add a keyword to ${product.name}`,
            },
            'Add keyword',
          ),
          h(
            'button',
            { type: 'button', class: 'danger', onclick: remove, 'aria-label': `Remove ${product.name}` },
            'Remove',
          ),
        ),
      ),
    ),
  );
  const name = marketplaceName(product.marketplace, lookups.marketplaces);
  const rows = product.keywords.map((keyword) =>
    keywordRow(
      ctx,
      { product, currency, marketplaceName: name },
      { ...lookups.keywords.get(keyword.keywordId), ...keyword },
      reload,
    ),
  );
  const none = h(
    'tr',
    {},
    h('td', { colspan: COLUMNS.length, class: 'muted' }, 'No keywords yet: add one to start tracking.'),
  );
  return h('tbody', {}, header, ...(rows.length === 0 ? [none] : rows));
}

/** The product a keyword row belongs to, with its currency and marketplace name. */
interface RowProduct {
  product: RankingProductView;
  currency: string;
  marketplaceName: string;
}

function keywordRow(ctx: PageContext, of: RowProduct, keyword: ProductKeyword, reload: () => void): HTMLElement {
  const product = of.product;
  // The standing's currency (issue 16) when the view has it, else the product's.
  const currency = keyword.currency ?? of.currency;
  const change = rankChange(keyword.change);
  const mine = myPriceView(keyword.priceSource === undefined ? null : keyword, product.price, currency);
  const gap = priceGap(mine.value, keyword.lowestCompetitorPrice, currency);
  const failing = failingBadge(keyword.crawlHealth);
  const href = `#/keyword/${keyword.keywordId}?product=${product.id}`;
  const detach = (): void =>
    confirmDialog(
      `Remove “${keyword.keyword}” from ${product.name}?`,
      'This product stops being ranked on this keyword.',
      'Remove keyword',
      async () => {
        await ctx.api.delete('/v1/products/{id}/keywords/{keywordId}', {
          params: { id: product.id, keywordId: keyword.keywordId },
        });
        ctx.announce(`Keyword ${keyword.keyword} removed`);
        reload();
      },
    );
  return h(
    'tr',
    { 'data-keyword': keyword.keyword },
    h(
      'td',
      { 'data-label': 'Keyword' },
      h('a', { href }, keyword.keyword),
      failing === null
        ? null
        : h(
            'span',
            { class: 'badge failing', title: failing.title },
            failing.text,
            // The hover text is not read out everywhere: screen readers get it as text.
            h('span', { class: 'sr-only' }, ` (${failing.title})`),
          ),
      keyword.paused === true ? h('span', { class: 'badge paused' }, 'paused') : null,
    ),
    h(
      'td',
      { 'data-label': 'Rank', class: 'num rank' },
      keyword.rank === null
        ? keyword.lastCrawledAt
          ? 'not found'
          : 'not crawled yet'
        : rankCell(keyword.rank, keyword.orderFidelity, of.marketplaceName),
    ),
    h(
      'td',
      { 'data-label': 'Change', class: `num change ${change.tone}` },
      h('span', { 'aria-hidden': 'true' }, change.text),
      h('span', { class: 'sr-only' }, change.label),
    ),
    h('td', { 'data-label': 'Lowest competitor', class: 'num' }, price(keyword.lowestCompetitorPrice, currency)),
    h(
      'td',
      { 'data-label': 'Against my price', class: gap.undercut ? 'undercut' : '' },
      gap.text,
      mine.source === null ? null : h('small', { class: 'price-source' }, `my price ${mine.source}`),
      mine.other === null ? null : h('small', { class: 'price-source' }, mine.other),
    ),
    h(
      'td',
      { 'data-label': 'Last crawled' },
      h(
        'time',
        { datetime: keyword.lastCrawledAt ?? '', title: dateTime(keyword.lastCrawledAt) },
        ago(keyword.lastCrawledAt, new Date()),
      ),
    ),
    h(
      'td',
      { class: 'actions-cell' },
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: detach,
          'aria-label': `Remove keyword ${keyword.keyword} from ${product.name}`,
        },
        'Remove',
      ),
    ),
  );
}
