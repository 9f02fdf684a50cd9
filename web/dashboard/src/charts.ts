import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import { h } from './dom';
import { bucketLabel, price } from './format';
import { myPriceLegend, myPriceView } from './price-format';
import type { PriceHistoryView, ReportingBrandsView, ReportingBucket, ReportingRankHistoryView } from './types';

// Only what the three charts use, so the rest of Chart.js is tree-shaken out of the bundle.
Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale);
Chart.register(Tooltip, Legend, Filler);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#33373d';
Chart.defaults.elements.point.radius = 4;

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];

/** The thin dashed lines of the best..worst rank band. */
const BAND_EDGE = { borderColor: '#9ec5e2', borderDash: [4, 4], pointRadius: 0, borderWidth: 1 };

/** A chart on the page and how to get rid of it when the page changes. */
export interface MountedChart {
  element: HTMLElement;
  destroy(): void;
}

/** A canvas with a text alternative, plus the same data as a table for screen readers and exact values. */
function frame(summary: string, table: HTMLTableElement): { element: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = h('canvas', { role: 'img', 'aria-label': summary });
  const element = h(
    'figure',
    { class: 'chart' },
    h('div', { class: 'chart-box' }, canvas),
    h('details', {}, h('summary', {}, 'Show the data as a table'), table),
  );
  return { element, canvas };
}

function dataTable(headers: string[], rows: (string | number)[][]): HTMLTableElement {
  return h(
    'table',
    { class: 'data' },
    h('thead', {}, h('tr', {}, ...headers.map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, String(cell)))))),
  );
}

function mount(element: HTMLElement, chart: Chart): MountedChart {
  return { element, destroy: () => chart.destroy() };
}

/** Index of the bucket holding `at` (the last bucket starting at or before it); -1 when none. */
function bucketIndexOf(starts: string[], at: string | null): number {
  if (at === null) {
    return -1;
  }
  const time = new Date(at).getTime();
  let index = -1;
  starts.forEach((start, i) => {
    if (new Date(start).getTime() <= time) {
      index = i;
    }
  });
  return index;
}

/**
 * Rank per bucket (1 at the top): the rank at the bucket's last crawl, with best..worst as a band. `fidelityNote` says
 * why the ranks are approximate (the legend and summary then say "≈"); null when they are exact.
 */
export function rankChart(
  history: ReportingRankHistoryView,
  markAt: string | null,
  fidelityNote: string | null,
): MountedChart {
  const approx = fidelityNote === null ? '' : '≈ ';
  const points = history.series[0]?.points ?? [];
  const bucket: ReportingBucket = history.bucket;
  const labels = points.map((point) => bucketLabel(point.bucketStart, bucket));
  const marked = bucketIndexOf(
    points.map((point) => point.bucketStart),
    markAt,
  );
  const table = dataTable(
    ['Bucket', 'Rank (last crawl)', 'Best', 'Worst', 'Crawls'],
    points.map((p) => [
      labels[points.indexOf(p)] ?? '',
      p.rankLast ?? 'not found',
      p.rankMin ?? '—',
      p.rankMax ?? '—',
      p.samples,
    ]),
  );
  const latest = points.at(-1)?.rankLast;
  const worst = Math.max(1, ...points.map((p) => p.rankMax ?? 1));
  const latestText = latest === undefined || latest === null ? 'not found' : `${approx}${latest}`;
  const note = fidelityNote === null ? '' : ` Approximate: ${fidelityNote}.`;
  const summary = `Rank history, ${points.length} ${bucket} buckets; latest rank ${latestText}.${note}`;
  const { element, canvas } = frame(summary, table);
  const chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: [
        {
          label: fidelityNote === null ? 'Rank' : 'Rank (≈ approximate order)',
          data: points.map((p) => p.rankLast),
          borderColor: PALETTE[0],
          backgroundColor: PALETTE[0],
          spanGaps: true,
        },
        { label: 'Best', data: points.map((p) => p.rankMin), ...BAND_EDGE },
        {
          label: 'Worst',
          data: points.map((p) => p.rankMax),
          ...BAND_EDGE,
          fill: '-1',
          backgroundColor: 'rgba(0, 114, 178, 0.08)',
        },
        ...(marked >= 0
          ? [
              {
                label: 'Alert',
                data: points.map((p, i) => (i === marked ? p.rankLast : null)),
                borderColor: PALETTE[1],
                backgroundColor: PALETTE[1],
                pointRadius: 7,
                pointStyle: 'triangle' as const,
                showLine: false,
              },
            ]
          : []),
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { offset: true },
        y: {
          reverse: true,
          min: 1,
          suggestedMax: worst + 2,
          ticks: { precision: 0 },
          title: { display: true, text: 'rank (1 = top)' },
        },
      },
    },
  });
  return mount(element, chart);
}

/**
 * My price (the legend says whether observed or catalogue) against the lowest competitor's, per bucket, in `currency`
 * (a product's history is in its one currency): on the axis, in the tooltips and in the data table.
 */
export function priceChart(history: PriceHistoryView, catalogue: number | null, currency: string): MountedChart {
  const labels = history.points.map((point) => bucketLabel(point.bucketStart, history.bucket));
  const legend = myPriceLegend(history.points);
  const table = dataTable(
    ['Bucket', 'My price', 'Where my price came from', 'Lowest competitor'],
    history.points.map((p, i) => [
      labels[i] ?? '',
      price(p.myPrice, currency),
      myPriceView(p, catalogue, currency).source ?? '—',
      price(p.lowestCompetitorPrice, currency),
    ]),
  );
  const { element, canvas } = frame(
    `My price against the lowest competitor's in ${currency}, ${history.points.length} buckets.`,
    table,
  );
  const chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: [
        {
          label: legend,
          data: history.points.map((p) => p.myPrice),
          borderColor: PALETTE[0],
          backgroundColor: PALETTE[0],
          stepped: true,
        },
        {
          label: 'Lowest competitor',
          data: history.points.map((p) => p.lowestCompetitorPrice),
          borderColor: PALETTE[1],
          backgroundColor: PALETTE[1],
          borderDash: [6, 3],
          stepped: true,
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { offset: true },
        y: { beginAtZero: true, ticks: { callback: (value) => price(Number(value), currency) } },
      },
      plugins: {
        tooltip: {
          callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${price(item.parsed.y, currency)}` },
        },
      },
    },
  });
  return mount(element, chart);
}

const BRANDS_SHOWN = 6;

/** Share of the top N per day, stacked: the largest brands over the range, the rest as "Other". */
export function brandChart(view: ReportingBrandsView): MountedChart {
  const shown = view.brands.slice(0, BRANDS_SHOWN).map((share) => share.brand);
  const labels = view.days.map((day) => bucketLabel(day.day, 'day'));
  const shareOf = (day: ReportingBrandsView['days'][number], brand: string): number =>
    Math.round((day.brands.find((share) => share.brand === brand)?.share ?? 0) * 1000) / 10;
  const datasets = shown.map((brand, i) => ({
    label: brand === '' ? '(no brand)' : brand,
    data: view.days.map((day) => shareOf(day, brand)),
    backgroundColor: PALETTE[i % PALETTE.length],
    maxBarThickness: 56,
  }));
  const other = view.days.map((day) => {
    const named = shown.reduce((sum, brand) => sum + shareOf(day, brand), 0);
    return Math.max(0, Math.round((100 - named) * 10) / 10);
  });
  datasets.push({ label: 'Other', data: other, backgroundColor: '#c8c8c8', maxBarThickness: 56 });
  const table = dataTable(
    ['Day', ...datasets.map((set) => `${set.label} %`)],
    view.days.map((_day, i) => [labels[i] ?? '', ...datasets.map((set) => set.data[i] ?? 0)]),
  );
  const leader = view.brands[0];
  const summary = leader
    ? `Brand share of the top ${view.topN} per day; ${leader.brand || '(no brand)'} leads with ${Math.round(leader.share * 100)} %.`
    : `Brand share of the top ${view.topN}: no crawl in this range.`;
  const { element, canvas } = frame(summary, table);
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true },
        y: { stacked: true, min: 0, max: 100, title: { display: true, text: '% of top slots' } },
      },
    },
  });
  return mount(element, chart);
}
