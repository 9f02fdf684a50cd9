import { errorText } from '../dialog';
import { field, formNumber, h, replace } from '../dom';
import { dateTime } from '../format';
import type { PageContext } from '../page';
import type { AlertRuleSettings, AlertRulesView } from '../types';
import { planAndUsage } from './plan-usage';
import { renderWebhooks } from './webhooks';

/** Settings: plan and usage, the tenant's default alert rules, and the webhooks with their delivery log. */
export async function renderSettings(ctx: PageContext, _params: URLSearchParams, main: HTMLElement): Promise<void> {
  const [rules, plan] = await Promise.all([ctx.api.get('/v1/alert-rules'), planAndUsage(ctx)]);
  if (ctx.left()) {
    return;
  }
  const webhooks = h('section', { class: 'card', 'aria-labelledby': 'webhooks-title' });
  replace(main, h('h1', {}, 'Settings'), plan, rulesForm(ctx, rules), webhooks);
  await renderWebhooks(ctx, webhooks);
}

function checkbox(name: string, label: string, checked: boolean): HTMLElement {
  const id = `rule-${name}`;
  return h(
    'div',
    { class: 'check' },
    h('input', { type: 'checkbox', name, id, checked }),
    h('label', { for: id }, label),
  );
}

function numberInput(name: string, value: number | null, hint: string): HTMLInputElement {
  return h('input', { name, inputmode: 'decimal', value: value === null ? '' : String(value), placeholder: hint });
}

function checked(form: HTMLFormElement, name: string): boolean {
  return new FormData(form).get(name) !== null;
}

/** The defaults as edited in the form (empty number fields are "not used"). */
function readRules(form: HTMLFormElement): AlertRuleSettings {
  return {
    priceUndercut: {
      enabled: checked(form, 'undercut'),
      minPercent: formNumber(form, 'minPercent'),
      minAmount: formNumber(form, 'minAmount'),
    },
    rankDrop: {
      enabled: checked(form, 'rankDrop'),
      minPlaces: formNumber(form, 'minPlaces'),
      topK: formNumber(form, 'topK'),
    },
    productMissing: { enabled: checked(form, 'missing') },
    newCompetitor: { enabled: checked(form, 'newCompetitor'), topN: formNumber(form, 'topN') ?? 10 },
    cooldownMinutes: formNumber(form, 'cooldown') ?? 0,
  };
}

function rulesForm(ctx: PageContext, view: AlertRulesView): HTMLElement {
  const d = view.defaults;
  const status = h(
    'p',
    { role: 'status', class: 'muted' },
    view.updatedAt ? `Saved ${dateTime(view.updatedAt)}` : 'Using the built-in defaults.',
  );
  const form = h(
    'form',
    { class: 'card rules', 'aria-labelledby': 'rules-title', novalidate: true },
    h('h2', { id: 'rules-title' }, 'Alert rules'),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Price undercut'),
      checkbox('undercut', 'Alert when a competitor is cheaper than me', d.priceUndercut.enabled),
      field('By at least (%)', numberInput('minPercent', d.priceUndercut.minPercent, 'any')),
      field(
        'Or by at least (amount, in the product’s currency)',
        numberInput('minAmount', d.priceUndercut.minAmount, 'any'),
      ),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Rank drop'),
      checkbox('rankDrop', 'Alert when my product falls', d.rankDrop.enabled),
      field('By at least (places)', numberInput('minPlaces', d.rankDrop.minPlaces, 'not used')),
      field('Or out of the top', numberInput('topK', d.rankDrop.topK, 'not used')),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Product missing'),
      checkbox('missing', 'Alert when my product is not on the crawled pages', d.productMissing.enabled),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'New competitor'),
      checkbox('newCompetitor', 'Alert when a new listing enters the top', d.newCompetitor.enabled),
      field('Top', numberInput('topN', d.newCompetitor.topN, '10')),
    ),
    field(
      'Quiet period after an alert (minutes)',
      numberInput('cooldown', d.cooldownMinutes, '0'),
      'The same alert is not raised again for this long.',
    ),
    view.overrides.length > 0
      ? h('p', { class: 'muted' }, `${view.overrides.length} per-product overrides are kept as they are.`)
      : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save rules'), status),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    let defaults: AlertRuleSettings;
    try {
      defaults = readRules(form);
    } catch (error) {
      status.textContent = errorText(error);
      return;
    }
    ctx.api
      .put('/v1/alert-rules', { defaults, overrides: view.overrides })
      .then((saved) => (status.textContent = `Saved ${dateTime(saved.updatedAt)}`))
      .catch((error: unknown) => (status.textContent = errorText(error)));
  });
  return form;
}
