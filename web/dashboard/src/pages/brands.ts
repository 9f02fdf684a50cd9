import type { MountedChart } from '../charts';
import { errorText } from '../dialog';
import { field, h, replace } from '../dom';
import type { PageContext } from '../page';
import type { ReportingBrandsView } from '../types';

const DAY_MS = 86_400_000;
const TOP_N = [3, 5, 10, 20];
const RANGE_DAYS = [7, 30, 90];

/** Brands: who holds the top N of a keyword's shelf, per day, and over the range. */
export async function renderBrands(ctx: PageContext, params: URLSearchParams, main: HTMLElement): Promise<void> {
  const keywords = await ctx.api.all('/v1/keywords');
  if (ctx.left()) {
    return;
  }
  if (keywords.length === 0) {
    replace(
      main,
      h('h1', {}, 'Brands'),
      h('p', { class: 'empty' }, 'Add a product with a keyword first: brand share is computed from its crawls.'),
    );
    return;
  }
  const state = {
    keywordId: keywords.find((k) => k.id === params.get('keyword'))?.id ?? keywords[0]?.id ?? '',
    topN: Number(params.get('top') ?? 10),
    days: Number(params.get('days') ?? 30),
  };
  const result = h('div', { class: 'card' });
  let chart: MountedChart | null = null;
  ctx.onLeave(() => chart?.destroy());
  const load = async (): Promise<void> => {
    const now = Date.now();
    const [{ brandChart }, view] = await Promise.all([
      import('../charts'),
      ctx.api.get('/v1/reports/brands', {
        query: {
          keywordId: state.keywordId,
          topN: state.topN,
          from: new Date(now - state.days * DAY_MS).toISOString(),
          to: new Date(now + 60_000).toISOString(),
        },
      }),
    ]);
    if (ctx.left()) {
      return;
    }
    chart?.destroy();
    chart = view.days.length > 0 ? brandChart(view) : null;
    replace(
      result,
      h('h2', {}, `Share of the top ${view.topN}`),
      chart ? chart.element : h('p', { class: 'muted' }, 'No crawl of this keyword in this range yet.'),
      overallTable(view),
    );
  };
  const select = (
    options: { value: string; label: string }[],
    current: string,
    set: (value: string) => void,
  ): HTMLSelectElement => {
    const element = h(
      'select',
      {},
      ...options.map((o) => h('option', { value: o.value, selected: o.value === current }, o.label)),
    );
    element.addEventListener('change', () => {
      set(element.value);
      history.replaceState(null, '', `#/brands?keyword=${state.keywordId}&top=${state.topN}&days=${state.days}`);
      void load().catch((error: unknown) =>
        replace(result, h('p', { class: 'error', role: 'alert' }, errorText(error))),
      );
    });
    return element;
  };
  replace(
    main,
    h('h1', {}, 'Brands'),
    h(
      'form',
      {
        class: 'inline-form',
        'aria-label': 'Brand share settings',
        onsubmit: (event: Event) => event.preventDefault(),
      },
      field(
        'Keyword',
        select(
          keywords.map((k) => ({ value: k.id, label: k.keyword })),
          state.keywordId,
          (v) => (state.keywordId = v),
        ),
      ),
      field(
        'Top',
        select(
          TOP_N.map((n) => ({ value: String(n), label: `Top ${n}` })),
          String(state.topN),
          (v) => (state.topN = Number(v)),
        ),
      ),
      field(
        'Range',
        select(
          RANGE_DAYS.map((n) => ({ value: String(n), label: `Last ${n} days` })),
          String(state.days),
          (v) => (state.days = Number(v)),
        ),
      ),
    ),
    result,
  );
  await load();
}

function overallTable(view: ReportingBrandsView): HTMLElement | null {
  if (view.brands.length === 0) {
    return null;
  }
  return h(
    'table',
    { class: 'data' },
    h('caption', {}, 'Over the whole range'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Brand'),
        h('th', { scope: 'col' }, 'Top slots'),
        h('th', { scope: 'col' }, 'Share'),
      ),
    ),
    h(
      'tbody',
      {},
      ...view.brands
        .slice(0, 15)
        .map((b) =>
          h(
            'tr',
            {},
            h('td', {}, b.brand || '(no brand)'),
            h('td', { class: 'num' }, b.slots),
            h('td', { class: 'num' }, `${(b.share * 100).toFixed(1)} %`),
          ),
        ),
    ),
  );
}
