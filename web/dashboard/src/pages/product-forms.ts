import { openFormDialog } from '../dialog';
import { field, formNumber, formText, h } from '../dom';
import type { PageContext } from '../page';
import type { RankingKeywordAttached, RankingProductView } from '../types';

function input(name: string, attrs: Record<string, string | boolean> = {}): HTMLInputElement {
  return h('input', { name, ...attrs });
}

/** How often the keyword(s) are crawled; empty leaves the platform's default. */
function intervalField(): HTMLElement {
  const control = input('intervalMinutes', { inputmode: 'numeric', placeholder: 'default' });
  return field('Crawl every (minutes)', control, 'From 5 to 10080. Empty: the default.');
}

/** `{ intervalMinutes }` when the field is filled, else nothing. */
function interval(form: HTMLFormElement): { intervalMinutes?: number } {
  const minutes = formNumber(form, 'intervalMinutes');
  return minutes === null ? {} : { intervalMinutes: minutes };
}

/** Keywords typed as "a, b; c" or one per line. */
function keywordList(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((keyword) => keyword.trim())
    .filter((keyword) => keyword !== '');
}

/** A positive price from the form, or an error in words. */
function requiredPrice(form: HTMLFormElement): number {
  const value = Number(formText(form, 'price').replace(/,/g, ''));
  if (formText(form, 'price') === '' || !Number.isFinite(value) || value < 0) {
    throw new Error('Enter your price (a number, 0 or more).');
  }
  return value;
}

/** "Add a product": marketplace, its id there, name, my price, keywords. */
export function addProductDialog(ctx: PageContext, done: () => void): void {
  openFormDialog({
    title: 'Add a product',
    submitLabel: 'Add product',
    body: [
      field('Marketplace', input('marketplace', { value: 'naver', required: true })),
      field(
        'Product id on the marketplace',
        input('externalId', { required: true }),
        'As in the listing URL or the search results.',
      ),
      field('Name', input('name', { required: true })),
      field('My price', input('price', { required: true, inputmode: 'decimal' })),
      field('Keywords', h('textarea', { name: 'keywords', rows: 2 }), 'Separate keywords with commas.'),
      intervalField(),
    ],
    onSubmit: async (form) => {
      const body = {
        marketplace: formText(form, 'marketplace'),
        externalId: formText(form, 'externalId'),
        name: formText(form, 'name'),
        price: requiredPrice(form),
        keywords: keywordList(formText(form, 'keywords')),
        ...interval(form),
      };
      if (body.externalId === '' || body.name === '') {
        throw new Error('Enter the product id and a name.');
      }
      const created = await ctx.api.post<RankingProductView>('/v1/products', body);
      ctx.announce(`${created.name} added`);
      done();
    },
  });
}

/** "Edit": rename or reprice. */
export function editProductDialog(ctx: PageContext, product: RankingProductView, done: () => void): void {
  openFormDialog({
    title: `Edit ${product.name}`,
    submitLabel: 'Save',
    body: [
      field('Name', input('name', { value: product.name, required: true })),
      field('My price', input('price', { value: String(product.price), required: true, inputmode: 'decimal' })),
    ],
    onSubmit: async (form) => {
      await ctx.api.patch(`/v1/products/${product.id}`, { name: formText(form, 'name'), price: requiredPrice(form) });
      ctx.announce(`${product.name} saved`);
      done();
    },
  });
}

/** "Add keyword" to one product. */
export function addKeywordDialog(ctx: PageContext, product: RankingProductView, done: () => void): void {
  openFormDialog({
    title: `Add a keyword to ${product.name}`,
    submitLabel: 'Add keyword',
    body: [field('Keyword', input('keyword', { required: true })), intervalField()],
    onSubmit: async (form) => {
      const keyword = formText(form, 'keyword');
      if (keyword === '') {
        throw new Error('Enter a keyword.');
      }
      const attached = await ctx.api.post<RankingKeywordAttached>(`/v1/products/${product.id}/keywords`, {
        keyword,
        ...interval(form),
      });
      ctx.announce(
        attached.created ? `Keyword ${attached.keyword} added` : `${product.name} already had ${attached.keyword}`,
      );
      done();
    },
  });
}
