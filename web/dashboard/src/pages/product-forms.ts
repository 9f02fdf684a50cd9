import { marketplaceCurrency } from '@shelfwatch/contracts';
import { openFormDialog } from '../dialog';
import { field, formNumber, formText, h } from '../dom';
import { currencyDigits, price } from '../format';
import { EBAY_SITE_CHOICES, marketplaceChoices, productCurrency, siteFor } from '../marketplace-choice';
import type { PageContext } from '../page';
import { parsePrice, priceExample } from '../price-format';
import type { MarketplaceView, RankingProductView } from '../types';

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

/** "My price", labelled with its currency and taking decimals only where the currency has them. */
function priceField(currency: string, value?: number): { element: HTMLElement; setCurrency(code: string): void } {
  const control = input('price', { required: true, ...(value === undefined ? {} : { value: String(value) }) });
  const element = field('My price', control, '');
  const label = element.querySelector('label');
  const hint = element.querySelector('small');
  const setCurrency = (code: string): void => {
    control.inputMode = currencyDigits(code) === 0 ? 'numeric' : 'decimal';
    control.dataset.currency = code;
    if (label) {
      label.textContent = `My price (${code})`;
    }
    if (hint) {
      hint.textContent = `In ${code}, like ${priceExample(code)} (${price(Number(priceExample(code)), code)}).`;
    }
  };
  setCurrency(currency);
  return { element, setCurrency };
}

/** The price typed into a form in the currency its field shows. */
function requiredPrice(form: HTMLFormElement): number {
  const control = form.elements.namedItem('price');
  const currency = control instanceof HTMLInputElement ? (control.dataset.currency ?? '') : '';
  return parsePrice(formText(form, 'price'), currency);
}

/** The marketplace select (the tenant's marketplaces) and, for eBay, the site select; both set the price's currency. */
function marketplaceFields(
  listed: MarketplaceView[] | null,
  setCurrency: (currency: string) => void,
): { elements: HTMLElement[]; marketplace(): string; site(): string | null } {
  const choices = marketplaceChoices(listed);
  const marketplace = h(
    'select',
    { name: 'marketplace', required: true },
    ...choices.map((choice) =>
      h('option', { value: choice.id }, choice.note === null ? choice.name : `${choice.name} (${choice.note})`),
    ),
  );
  const site = h(
    'select',
    { name: 'site' },
    ...EBAY_SITE_CHOICES.map((choice) => h('option', { value: choice.site }, choice.label)),
  );
  const siteField = field('eBay site', site, 'The eBay country site the product is listed on.');
  const chosenSite = (): string | null => siteFor(marketplace.value, site.value);
  const update = (): void => {
    siteField.hidden = marketplace.value !== 'ebay';
    setCurrency(marketplaceCurrency(marketplace.value, chosenSite()));
  };
  marketplace.addEventListener('change', update);
  site.addEventListener('change', update);
  update();
  const elements = [field('Marketplace', marketplace), siteField];
  return { elements, marketplace: () => marketplace.value, site: chosenSite };
}

/**
 * "Add a product": marketplace (and eBay site), its id there, name, my price in the marketplace's currency, keywords.
 * `site` is sent for eBay only.
 */
export function addProductDialog(ctx: PageContext, listed: MarketplaceView[] | null, done: () => void): void {
  const myPrice = priceField('KRW');
  const market = marketplaceFields(listed, myPrice.setCurrency);
  openFormDialog({
    title: 'Add a product',
    submitLabel: 'Add product',
    body: [
      ...market.elements,
      field(
        'Product id on the marketplace',
        input('externalId', { required: true }),
        'As in the listing URL or the search results.',
      ),
      field('Name', input('name', { required: true })),
      myPrice.element,
      field('Keywords', h('textarea', { name: 'keywords', rows: 2 }), 'Separate keywords with commas.'),
      intervalField(),
    ],
    onSubmit: async (form) => {
      const site = market.site();
      const body = {
        marketplace: market.marketplace(),
        ...(site === null ? {} : { site }),
        externalId: formText(form, 'externalId'),
        name: formText(form, 'name'),
        price: requiredPrice(form),
        keywords: keywordList(formText(form, 'keywords')),
        ...interval(form),
      };
      if (body.externalId === '' || body.name === '') {
        throw new Error('Enter the product id and a name.');
      }
      const created = await ctx.api.post('/v1/products', body);
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
      priceField(productCurrency(product), product.price).element,
    ],
    onSubmit: async (form) => {
      await ctx.api.patch(
        '/v1/products/{id}',
        { name: formText(form, 'name'), price: requiredPrice(form) },
        { params: { id: product.id } },
      );
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
      const attached = await ctx.api.post(
        '/v1/products/{id}/keywords',
        { keyword, ...interval(form) },
        { params: { id: product.id } },
      );
      ctx.announce(
        attached.created ? `Keyword ${attached.keyword} added` : `${product.name} already had ${attached.keyword}`,
      );
      done();
    },
  });
}
