import type { MountedChart } from '../charts';
import { field, h, replace } from '../dom';
import { LEGACY_CURRENCY, crawlSize, dateTime, fidelityNote } from '../format';
import { type PageContext, until } from '../page';
import type { CrawlView, LatestView, RankingProductView, ReportingBucket } from '../types';
import { errorText } from '../dialog';
import { crawlNowControl, progressText } from './crawl-now';
import { renderKeywordSchedule } from './keyword-schedule';
import { marketplaceName, productCurrency, productMarketLabel } from '../marketplace-choice';
import { type LatestContext, latestTable, standingsList } from './latest-results';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const RANGES: { value: string; label: string; ms: number }[] = [
  { value: '1d', label: 'Last 24 hours', ms: DAY_MS },
  { value: '7d', label: 'Last 7 days', ms: 7 * DAY_MS },
  { value: '30d', label: 'Last 30 days', ms: 30 * DAY_MS },
  { value: '90d', label: 'Last 90 days', ms: 90 * DAY_MS },
];

/** The window the charts show: a preset range up to now, or the days around an alert. */
export function chartWindow(range: string, at: string | null, now: Date): { from: string; to: string } {
  if (at !== null) {
    const moment = new Date(at).getTime();
    const to = Math.min(moment + DAY_MS, now.getTime() + HOUR_MS);
    return { from: new Date(moment - 2 * DAY_MS).toISOString(), to: new Date(to).toISOString() };
  }
  const ms = RANGES.find((option) => option.value === range)?.ms ?? 7 * DAY_MS;
  return { from: new Date(now.getTime() - ms).toISOString(), to: new Date(now.getTime() + 60_000).toISOString() };
}

interface View {
  keywordId: string;
  product: RankingProductView | null;
  /** The marketplace the keyword is searched on, by name. */
  marketplaceName: string;
  bucket: ReportingBucket;
  range: string;
  at: string | null;
}

/** Keyword detail: rank and price charts, the latest shelf with my product highlighted, "crawl now". */
export async function renderKeyword(ctx: PageContext, params: URLSearchParams, main: HTMLElement): Promise<void> {
  const keywordId = params.get('id') ?? '';
  const [all, marketplaces] = await Promise.all([ctx.products(), ctx.marketplaces()]);
  const products = all.filter((product) => product.keywords.some((k) => k.keywordId === keywordId));
  if (ctx.left()) {
    return;
  }
  const text = products[0]?.keywords.find((k) => k.keywordId === keywordId)?.keyword;
  if (text === undefined) {
    replace(
      main,
      h('h1', {}, 'Keyword not found'),
      h('p', {}, 'No tracked product has this keyword any more. ', h('a', { href: '#/products' }, 'Back to products')),
    );
    return;
  }
  const at = params.get('at');
  const product = products.find((candidate) => candidate.id === params.get('product')) ?? products[0] ?? null;
  const view: View = {
    keywordId,
    product,
    marketplaceName: marketplaceName(product?.marketplace ?? '', marketplaces),
    bucket: params.get('bucket') === 'day' ? 'day' : at !== null || params.get('bucket') === 'hour' ? 'hour' : 'day',
    range: params.get('range') ?? '7d',
    at,
  };
  const charts = h('div', { class: 'charts' });
  const latest = h('section', { 'aria-labelledby': 'latest-title' });
  const schedule = h('section', { class: 'card', 'aria-labelledby': 'schedule-title', hidden: true });
  let mounted: MountedChart[] = [];
  ctx.onLeave(() => mounted.forEach((chart) => chart.destroy()));
  let samples = 0;
  /**
   * Redraws both charts; answers how many crawls the rank chart counts. A failed load says so inside the charts'
   * place and keeps the count it had, so the rest of the page (and "Crawl now") stays usable and a later refresh
   * (after a crawl, or a change of range) tries again.
   */
  const refreshCharts = async (): Promise<number> => {
    let fresh: LoadedCharts;
    try {
      fresh = await loadCharts(ctx, view);
    } catch (error) {
      if (!ctx.left()) {
        mounted.forEach((chart) => chart.destroy());
        mounted = [];
        replace(
          charts,
          sectionError('The charts could not be loaded', error, () => void refreshCharts()),
        );
      }
      return samples;
    }
    if (ctx.left()) {
      fresh.charts.forEach((chart) => chart.destroy());
      return 0;
    }
    mounted.forEach((chart) => chart.destroy());
    mounted = fresh.charts;
    samples = fresh.samples;
    replace(charts, ...fresh.elements);
    return samples;
  };
  const refreshLatest = async (): Promise<void> => {
    try {
      const answer = await ctx.api.get('/v1/keywords/{id}/rankings/latest', { params: { id: keywordId } });
      if (!ctx.left()) {
        renderLatest(latest, answer, view, products);
      }
    } catch (error) {
      if (!ctx.left()) {
        replace(
          latest,
          h('h2', { id: 'latest-title' }, 'Latest results'),
          sectionError('The latest results could not be loaded', error, () => void refreshLatest()),
        );
      }
    }
  };
  const afterCrawl = async (crawl: CrawlView): Promise<string> => {
    ctx.invalidateProducts();
    if (crawl.status === 'failed') {
      return progressText(crawl);
    }
    // The crawl is done before the ranking and the reports have recorded it: wait for them (a few seconds at most).
    const recorded = await until(async () => {
      const answer = await ctx.api.get('/v1/keywords/{id}/rankings/latest', { params: { id: keywordId } });
      return answer.crawl?.crawlId === crawl.crawlId ? answer : null;
    });
    if (recorded === null || ctx.left()) {
      return 'Crawled. The results are still being recorded: reload in a moment to see them.';
    }
    renderLatest(latest, recorded, view, products);
    const before = samples;
    await until(async () => ((await refreshCharts()) > before ? true : null), 10_000);
    ctx.announce('Results updated');
    return `Done: ${crawlSize(crawl)}. The table and charts below are up to date.`;
  };
  replace(
    main,
    h(
      'p',
      { class: 'crumbs' },
      h('a', { href: '#/products' }, 'Products'),
      ' › keyword',
      product === null ? null : ` on ${productMarketLabel(product, marketplaces)}`,
    ),
    h('div', { class: 'page-head' }, h('h1', {}, `“${text}”`), crawlNowControl(ctx, keywordId, afterCrawl)),
    controls(view, products, () => {
      history.replaceState(null, '', hashOf(view));
      void refreshCharts();
    }),
    at === null
      ? null
      : h(
          'p',
          { class: 'notice alert-moment' },
          `Showing the days around the alert of ${dateTime(at)} (marked ▲ on the rank chart). `,
          h('a', { href: `#/keyword/${keywordId}?product=${view.product?.id ?? ''}` }, 'Show the last 7 days instead'),
        ),
    schedule,
    charts,
    latest,
  );
  const refreshSchedule = (): Promise<void> =>
    renderKeywordSchedule(ctx, keywordId, schedule).catch((error: unknown) => {
      if (!ctx.left()) {
        replace(
          schedule,
          h('h2', { id: 'schedule-title' }, 'Schedule'),
          sectionError('The schedule could not be loaded', error, () => void refreshSchedule()),
        );
        schedule.hidden = false;
      }
    });
  // Each part reports its own failure in place: one slow or failing service never takes the page (and "Crawl now")
  // away.
  await Promise.all([refreshCharts(), refreshLatest(), refreshSchedule()]);
}

/** An inline notice for one part of a page that could not be loaded, with a way to try again. */
function sectionError(title: string, error: unknown, retry: () => void): HTMLElement {
  return h(
    'div',
    { class: 'card section-error' },
    h('p', { class: 'error', role: 'alert' }, `${title}: ${errorText(error)}`),
    h('button', { type: 'button', onclick: retry }, 'Try again'),
  );
}

function hashOf(view: View): string {
  const query = new URLSearchParams({ product: view.product?.id ?? '', bucket: view.bucket, range: view.range });
  return `#/keyword/${view.keywordId}?${query.toString()}`;
}

function controls(view: View, products: RankingProductView[], changed: () => void): HTMLElement {
  const productSelect = h(
    'select',
    {},
    ...products.map((product) =>
      h('option', { value: product.id, selected: product.id === view.product?.id }, product.name),
    ),
  );
  productSelect.addEventListener('change', () => {
    view.product = products.find((product) => product.id === productSelect.value) ?? view.product;
    changed();
  });
  const rangeSelect = h(
    'select',
    {},
    ...RANGES.map((option) =>
      h('option', { value: option.value, selected: option.value === view.range && view.at === null }, option.label),
    ),
  );
  rangeSelect.addEventListener('change', () => {
    view.range = rangeSelect.value;
    view.at = null;
    changed();
  });
  const bucketRadio = (bucket: ReportingBucket, label: string): HTMLElement => {
    const radio = h('input', {
      type: 'radio',
      name: 'bucket',
      value: bucket,
      id: `bucket-${bucket}`,
      checked: view.bucket === bucket,
    });
    radio.addEventListener('change', () => ((view.bucket = bucket), changed()));
    return h('span', { class: 'check' }, radio, h('label', { for: `bucket-${bucket}` }, label));
  };
  return h(
    'form',
    { class: 'chart-controls', 'aria-label': 'Chart settings', onsubmit: (event: Event) => event.preventDefault() },
    products.length > 1 ? field('Product', productSelect) : null,
    field('Range', rangeSelect),
    h('fieldset', {}, h('legend', {}, 'Points per'), bucketRadio('hour', 'Hour'), bucketRadio('day', 'Day')),
  );
}

interface LoadedCharts {
  charts: MountedChart[];
  elements: HTMLElement[];
  /** Crawls counted by the rank series. */
  samples: number;
}

async function loadCharts(ctx: PageContext, view: View): Promise<LoadedCharts> {
  const product = view.product;
  if (product === null) {
    return { charts: [], elements: [], samples: 0 };
  }
  const window = chartWindow(view.range, view.at, new Date());
  const query = { keywordId: view.keywordId, bucket: view.bucket, ...window };
  // Chart.js is most of the code: it loads only with the first page that draws a chart.
  const [{ rankChart, priceChart }, ranks, prices] = await Promise.all([
    import('../charts'),
    ctx.api.get('/v1/products/{id}/rank-history', { params: { id: product.id }, query }),
    ctx.api.get('/v1/reports/price-history', { query: { ...query, productId: product.id } }),
  ]);
  // The ranks drawn say their own fidelity (the product, loaded with the page, may predate the crawl just made).
  const fidelity =
    ranks.series[0]?.points.at(-1)?.orderFidelity ??
    product.keywords.find((keyword) => keyword.keywordId === view.keywordId)?.orderFidelity;
  const rankNote = fidelityNote(fidelity, view.marketplaceName);
  const currency = prices.points[0]?.currency ?? productCurrency(product);
  const rank = (ranks.series[0]?.points.length ?? 0) > 0 ? rankChart(ranks, view.at, rankNote) : null;
  const priced = prices.points.length > 0 ? priceChart(prices, product.price, currency) : null;
  const section = (id: string, title: string, chart: MountedChart | null, note: string | null = null): HTMLElement =>
    h(
      'section',
      { class: 'card', 'aria-labelledby': id, id: `${id}-section` },
      h('h2', { id }, title),
      note === null ? null : h('p', { class: 'muted fidelity-note' }, note),
      chart
        ? chart.element
        : h(
            'p',
            { class: 'muted empty-chart' },
            'No crawl recorded in this range yet. Try “Crawl now” or a longer range.',
          ),
    );
  return {
    samples: (ranks.series[0]?.points ?? []).reduce((sum, point) => sum + point.samples, 0),
    charts: [rank, priced].filter((chart): chart is MountedChart => chart !== null),
    elements: [
      section('rank-title', `Rank of ${product.name}${rankNote === null ? '' : ' (≈ approximate)'}`, rank, rankNote),
      section('price-title', `My price against the lowest competitor (${currency})`, priced),
    ],
  };
}

function renderLatest(section: HTMLElement, latest: LatestView, view: View, products: RankingProductView[]): void {
  const context: LatestContext = {
    products: new Map(products.map((p) => [p.id, p])),
    currency: view.product === null ? LEGACY_CURRENCY : productCurrency(view.product),
    marketplaceName: view.marketplaceName,
  };
  if (latest.crawl === null) {
    replace(
      section,
      h('h2', { id: 'latest-title' }, 'Latest results'),
      h('p', { class: 'muted' }, 'Not crawled yet. “Crawl now” fetches the shelf in a few seconds.'),
    );
    return;
  }
  replace(
    section,
    h('h2', { id: 'latest-title' }, 'Latest results'),
    h('p', { class: 'muted' }, `Crawled ${dateTime(latest.crawl.crawledAt)} · ${latest.entries.length} listings`),
    standingsList(latest, context),
    latestTable(latest, context, view.product?.id ?? null),
  );
}
