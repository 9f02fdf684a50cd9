import { confirmDialog, errorText } from '../dialog';
import { field, formText, h, replace } from '../dom';
import { dateTime } from '../format';
import type { PageContext } from '../page';
import type { DeliveryView, Page, WebhookCreated, WebhookView } from '../types';

const EVENTS = ['alert.raised', 'alert.acknowledged', 'alert.resolved'] as const;

/** Webhook endpoints: add (the generated secret is shown once), remove, and each one's delivery log. */
export async function renderWebhooks(
  ctx: PageContext,
  section: HTMLElement,
  created: WebhookCreated | null = null,
): Promise<void> {
  const hooks = await ctx.api.all('/v1/webhooks');
  if (ctx.left()) {
    return;
  }
  const reload = (fresh: WebhookCreated | null = null): void => void renderWebhooks(ctx, section, fresh);
  replace(
    section,
    h('h2', { id: 'webhooks-title' }, 'Webhooks'),
    h('p', { class: 'muted' }, 'ShelfWatch posts alert events to these URLs, signed with HMAC-SHA256.'),
    created?.secret
      ? h(
          'div',
          { class: 'notice', role: 'alert' },
          h('strong', {}, 'Signing secret (shown only now): '),
          h('code', {}, created.secret),
        )
      : null,
    hooks.length === 0
      ? h('p', { class: 'empty' }, 'No webhooks yet.')
      : h('ul', { class: 'webhooks' }, ...hooks.map((hook) => hookItem(ctx, hook, () => reload()))),
    createForm(ctx, reload),
  );
}

function hookItem(ctx: PageContext, hook: WebhookView, reload: () => void): HTMLElement {
  const log = h('div', { class: 'delivery-log' });
  const toggle = h('button', { type: 'button', 'aria-expanded': 'false' }, 'Delivery log');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') === 'true';
    toggle.setAttribute('aria-expanded', String(!open));
    if (open) {
      replace(log);
      return;
    }
    replace(log, h('p', { role: 'status' }, 'Loading deliveries…'));
    ctx.api
      .get('/v1/webhooks/{id}/deliveries', { params: { id: hook.id }, query: { limit: 50 } })
      .then((page) => replace(log, deliveryTable(page)))
      .catch((error: unknown) => replace(log, h('p', { class: 'error' }, errorText(error))));
  });
  const remove = (): void =>
    confirmDialog(
      'Remove this webhook?',
      `${hook.url} will receive no more alert events.`,
      'Remove webhook',
      async () => {
        await ctx.api.delete('/v1/webhooks/{id}', { params: { id: hook.id } });
        reload();
      },
    );
  return h(
    'li',
    { class: 'webhook' },
    h('p', {}, h('code', { class: 'url' }, hook.url), hook.description ? ` — ${hook.description}` : ''),
    h(
      'p',
      { class: 'muted' },
      `${hook.events.join(', ')}${hook.digest ? ' · one digest per crawl' : ''} · added ${dateTime(hook.createdAt)}`,
    ),
    h(
      'div',
      { class: 'row-actions' },
      toggle,
      h(
        'button',
        { type: 'button', class: 'danger', onclick: remove, 'aria-label': `Remove webhook ${hook.url}` },
        'Remove',
      ),
    ),
    log,
  );
}

function deliveryTable(page: Page<DeliveryView>): HTMLElement {
  if (page.items.length === 0) {
    return h('p', { class: 'muted' }, 'Nothing delivered yet.');
  }
  const lastAttempt = (delivery: DeliveryView): string => {
    const attempt = delivery.attempts.at(-1);
    if (!attempt) {
      return 'not tried yet';
    }
    return attempt.error === null ? `HTTP ${attempt.statusCode ?? '—'} in ${attempt.durationMs} ms` : attempt.error;
  };
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'responsive' },
      h('caption', {}, `${page.total} deliveries, newest first`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Created', 'Events', 'Status', 'Attempts', 'Last attempt', 'Next attempt'].map((text) =>
            h('th', { scope: 'col' }, text),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...page.items.map((delivery) =>
          h(
            'tr',
            {},
            h('td', { 'data-label': 'Created' }, dateTime(delivery.createdAt)),
            h('td', { 'data-label': 'Events' }, delivery.eventTypes.join(', ')),
            h(
              'td',
              { 'data-label': 'Status' },
              h('span', { class: `badge delivery-${delivery.status}` }, delivery.status),
            ),
            h('td', { 'data-label': 'Attempts', class: 'num' }, delivery.attempts.length),
            h('td', { 'data-label': 'Last attempt' }, lastAttempt(delivery)),
            h('td', { 'data-label': 'Next attempt' }, dateTime(delivery.nextAttemptAt)),
          ),
        ),
      ),
    ),
  );
}

function createForm(ctx: PageContext, reload: (created: WebhookCreated) => void): HTMLElement {
  const error = h('p', { class: 'error', role: 'alert' });
  const eventBoxes = EVENTS.map((event) => {
    const id = `hook-event-${event.replace('.', '-')}`;
    return h(
      'span',
      { class: 'check' },
      h('input', { type: 'checkbox', name: 'events', value: event, id, checked: event !== 'alert.acknowledged' }),
      h('label', { for: id }, event),
    );
  });
  const form = h(
    'form',
    { class: 'webhook-form', novalidate: true },
    h('h3', {}, 'Add a webhook'),
    field(
      'URL',
      h('input', { name: 'url', type: 'url', required: true, placeholder: 'https://example.com/shelfwatch' }),
    ),
    field('Description', h('input', { name: 'description' })),
    h('fieldset', {}, h('legend', {}, 'Send'), ...eventBoxes),
    h(
      'div',
      { class: 'check' },
      h('input', { type: 'checkbox', name: 'digest', id: 'hook-digest' }),
      h('label', { for: 'hook-digest' }, 'One message per crawl (digest)'),
    ),
    error,
    h('button', { type: 'submit' }, 'Add webhook'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const description = formText(form, 'description');
    const body = {
      url: formText(form, 'url'),
      events: EVENTS.filter((event) => data.getAll('events').includes(event)),
      digest: data.get('digest') !== null,
      ...(description === '' ? {} : { description }),
    };
    if (body.url === '' || body.events.length === 0) {
      error.textContent = 'Enter the URL and choose at least one event.';
      return;
    }
    ctx.api
      .post('/v1/webhooks', body)
      .then((created) => (ctx.announce('Webhook added'), reload(created)))
      .catch((failure: unknown) => (error.textContent = errorText(failure)));
  });
  return form;
}
