import { confirmDialog, errorText } from '../dialog';
import { field, formText, h, replace } from '../dom';
import { dateTime } from '../format';
import type { PageContext } from '../page';
import type { RankingExclusionView } from '../types';

/** Exclusions: marketplace products or malls never counted as competitors (e.g. my other shops). */
export async function renderExclusions(ctx: PageContext, section: HTMLElement): Promise<void> {
  const exclusions = await ctx.api.all('/v1/exclusions');
  if (ctx.left()) {
    return;
  }
  const reload = (): void => void renderExclusions(ctx, section);
  const kind = h(
    'select',
    { name: 'kind' },
    h('option', { value: 'mall' }, 'Mall (shop name)'),
    h('option', { value: 'product' }, 'Marketplace product id'),
  );
  const value = h('input', { name: 'value', required: true });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'inline-form', novalidate: true },
    field('Exclude a', kind),
    field('Value', value),
    h('button', { type: 'submit' }, 'Add exclusion'),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = {
      kind: formText(form, 'kind') === 'mall' ? 'mall' : 'product',
      value: formText(form, 'value'),
    } as const;
    if (body.value === '') {
      error.textContent = 'Enter the mall name or the product id to exclude.';
      return;
    }
    ctx.api
      .post('/v1/exclusions', body)
      .then(() => (ctx.announce(`${body.value} excluded`), reload()))
      .catch((failure: unknown) => (error.textContent = errorText(failure)));
  });
  const remove = (exclusion: RankingExclusionView): void =>
    confirmDialog(
      `Count ${exclusion.value} as a competitor again?`,
      'It will count from the next crawl on.',
      'Remove exclusion',
      async () => {
        await ctx.api.delete('/v1/exclusions/{id}', { params: { id: exclusion.id } });
        reload();
      },
    );
  const list =
    exclusions.length === 0
      ? h('p', { class: 'muted' }, 'Nothing is excluded: every other listing counts as a competitor.')
      : h(
          'ul',
          { class: 'chips' },
          ...exclusions.map((exclusion) =>
            h(
              'li',
              { title: `since ${dateTime(exclusion.createdAt)}` },
              `${exclusion.kind === 'mall' ? 'Mall' : 'Product'}: ${exclusion.value}`,
              h(
                'button',
                {
                  type: 'button',
                  class: 'link',
                  onclick: () => remove(exclusion),
                  'aria-label': `Remove exclusion ${exclusion.value}`,
                },
                '×',
              ),
            ),
          ),
        );
  replace(
    section,
    h('h2', { id: 'exclusions-title' }, 'Exclusions'),
    h(
      'p',
      { class: 'muted' },
      'Excluded listings never count as competitors (your own other shops, resellers you trust).',
    ),
    list,
    form,
  );
}
