import { errorText } from '../dialog';
import { field, h, replace } from '../dom';
import { ALERT_TYPE_LABELS, dateTime, price } from '../format';
import { productCurrency } from '../marketplace-choice';
import type { PageContext } from '../page';
import type { AlertStatus, AlertType, AlertView, Page, RankingProductView } from '../types';

const STATUSES: AlertStatus[] = ['raised', 'acknowledged', 'resolved'];
const TYPES = Object.keys(ALERT_TYPE_LABELS) as AlertType[];

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

/** Alerts inbox: filter by status and type, acknowledge, jump to the chart at the alert's moment. */
export async function renderAlerts(ctx: PageContext, params: URLSearchParams, main: HTMLElement): Promise<void> {
  const status = pick(params.get('status'), STATUSES);
  const type = pick(params.get('type'), TYPES);
  const [first, products] = await Promise.all([
    ctx.api.get('/v1/alerts', { query: { status, type, limit: 20 } }),
    ctx.products(),
  ]);
  if (ctx.left()) {
    return;
  }
  const list = h('ul', { class: 'alerts' });
  const more = h('div', {});
  const names = new Map(products.map((product) => [product.id, product]));
  const showPage = (page: Page<AlertView>): void => {
    list.append(...page.items.map((alert) => alertItem(ctx, alert, names)));
    replace(
      more,
      page.nextCursor === null
        ? null
        : h(
            'button',
            {
              type: 'button',
              onclick: () =>
                void ctx.api
                  .get('/v1/alerts', { query: { status, type, limit: 20, cursor: page.nextCursor ?? undefined } })
                  .then(showPage)
                  .catch((error: unknown) => ctx.announce(errorText(error))),
            },
            'Show more alerts',
          ),
    );
  };
  showPage(first);
  replace(
    main,
    h('h1', {}, 'Alerts'),
    filters(status, type),
    h('p', { class: 'muted', role: 'status' }, `${first.total} ${first.total === 1 ? 'alert' : 'alerts'}`),
    first.total === 0
      ? h(
          'p',
          { class: 'empty' },
          'No alerts match. Alerts appear here when a crawl finds an undercut, a rank drop, a missing product or a new competitor.',
        )
      : list,
    more,
  );
}

function filters(status: AlertStatus | undefined, type: AlertType | undefined): HTMLElement {
  const statusSelect = h(
    'select',
    { name: 'status' },
    h('option', { value: '' }, 'Any status'),
    ...STATUSES.map((s) => h('option', { value: s, selected: s === status }, s)),
  );
  const typeSelect = h(
    'select',
    { name: 'type' },
    h('option', { value: '' }, 'Any type'),
    ...TYPES.map((t) => h('option', { value: t, selected: t === type }, ALERT_TYPE_LABELS[t])),
  );
  const form = h(
    'form',
    { class: 'inline-form filters', 'aria-label': 'Filter alerts' },
    field('Status', statusSelect),
    field('Type', typeSelect),
    h('button', { type: 'submit' }, 'Filter'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    if (statusSelect.value !== '') {
      query.set('status', statusSelect.value);
    }
    if (typeSelect.value !== '') {
      query.set('type', typeSelect.value);
    }
    window.location.hash = `#/alerts?${query.toString()}`;
  });
  return form;
}

function alertItem(ctx: PageContext, alert: AlertView, products: Map<string, RankingProductView>): HTMLElement {
  const product = products.get(alert.productId);
  const keyword = product?.keywords.find((k) => k.keywordId === alert.keywordId)?.keyword;
  const statusBadge = h('span', { class: `badge status-${alert.status}` }, alert.status);
  const actions = h('div', { class: 'row-actions' });
  const chartLink = h(
    'a',
    { href: `#/keyword/${alert.keywordId}?product=${alert.productId}&at=${encodeURIComponent(alert.raisedAt)}` },
    'See it on the chart',
  );
  if (alert.status === 'raised') {
    const ack = h('button', { type: 'button', 'aria-label': `Acknowledge: ${alert.message}` }, 'Acknowledge');
    ack.addEventListener('click', () => {
      ack.disabled = true;
      ctx.api
        .post('/v1/alerts/{id}/ack', undefined, { params: { id: alert.id } })
        .then((updated) => {
          statusBadge.textContent = updated.status;
          statusBadge.className = `badge status-${updated.status}`;
          ack.remove();
          ctx.announce('Alert acknowledged');
        })
        .catch((error: unknown) => {
          ack.disabled = false;
          ctx.announce(errorText(error));
        });
    });
    actions.append(ack);
  }
  actions.append(chartLink);
  return h(
    'li',
    { class: `alert card type-${alert.type}`, 'data-alert-id': alert.id },
    h(
      'div',
      { class: 'alert-head' },
      h('span', { class: 'badge type' }, ALERT_TYPE_LABELS[alert.type]),
      statusBadge,
      h('time', { datetime: alert.raisedAt }, dateTime(alert.raisedAt)),
    ),
    h('p', { class: 'alert-message' }, alert.message),
    undercutPrices(alert, product),
    h('p', { class: 'muted' }, `${product?.name ?? 'A product no longer tracked'}${keyword ? ` · “${keyword}”` : ''}`),
    actions,
  );
}

/**
 * The prices of a price undercut, each with its currency (the alert's, else the product's): "My price ₩64,900 ·
 * lowest competitor ₩59,000". Null for other alerts, or when the details lack the prices.
 */
function undercutPrices(alert: AlertView, product: RankingProductView | undefined): HTMLElement | null {
  const { myPrice, competitorPrice, currency } = alert.details;
  if (alert.type !== 'price_undercut' || typeof myPrice !== 'number' || typeof competitorPrice !== 'number') {
    return null;
  }
  const code = typeof currency === 'string' ? currency : product === undefined ? undefined : productCurrency(product);
  return h(
    'p',
    { class: 'alert-prices' },
    `My price ${price(myPrice, code)} · lowest competitor ${price(competitorPrice, code)}`,
  );
}
