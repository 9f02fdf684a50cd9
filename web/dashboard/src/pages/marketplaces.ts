import { ApiError } from '../api';
import { h, replace } from '../dom';
import { capabilityFacts, stateBadge, statusFacts } from '../marketplace-format';
import type { PageContext } from '../page';
import type { MarketplaceView } from '../types';
import { credentialsSection } from './credentials-form';

/** The marketplaces, or null when the gateway has no such route yet (404). */
async function loadMarketplaces(ctx: PageContext): Promise<MarketplaceView[] | null> {
  try {
    return (await ctx.api.get('/v1/marketplaces')).items;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return null;
    }
    throw error;
  }
}

function factList(facts: [string, string][]): HTMLElement {
  return h('dl', { class: 'facts' }, ...facts.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]));
}

/** What the marketplace's API can do; nothing from a server that does not say. */
function capabilitiesPart(marketplace: MarketplaceView): HTMLElement | null {
  if (marketplace.capabilities === undefined) {
    return null;
  }
  const titleId = `marketplace-${marketplace.id}-capabilities`;
  return h(
    'section',
    { class: 'capabilities', 'aria-labelledby': titleId },
    h('h3', { id: titleId }, 'What its search API can do'),
    factList(capabilityFacts(marketplace.capabilities)),
  );
}

function marketplaceCard(ctx: PageContext, marketplace: MarketplaceView, reload: () => void): HTMLElement {
  const titleId = `marketplace-${marketplace.id}-title`;
  const badge = stateBadge(marketplace.status.state);
  return h(
    'section',
    { class: 'card marketplace', 'aria-labelledby': titleId, 'data-marketplace': marketplace.id },
    h(
      'div',
      { class: 'page-head' },
      h('h2', { id: titleId }, marketplace.name),
      h('span', { class: `badge state ${badge.tone}`, 'data-state': marketplace.status.state }, badge.text),
    ),
    factList(statusFacts(marketplace.status)),
    capabilitiesPart(marketplace),
    marketplace.credentials === undefined
      ? null
      : credentialsSection(ctx, marketplace, marketplace.credentials, reload),
  );
}

/** Marketplaces: each one's status for everyone, and which credentials this tenant's crawls use. */
export async function renderMarketplaces(ctx: PageContext, _params: URLSearchParams, main: HTMLElement): Promise<void> {
  const marketplaces = await loadMarketplaces(ctx);
  if (ctx.left()) {
    return;
  }
  const reload = (): void => void renderMarketplaces(ctx, new URLSearchParams(), main);
  replace(
    main,
    h('h1', {}, 'Marketplaces'),
    marketplaces === null
      ? h('p', { class: 'empty' }, 'This ShelfWatch server does not report marketplace status yet.')
      : marketplaces.length === 0
        ? h('p', { class: 'empty' }, 'No marketplace is configured.')
        : marketplaces.map((marketplace) => marketplaceCard(ctx, marketplace, reload)),
  );
}
