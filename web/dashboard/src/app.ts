import { Api, ApiError } from './api';
import { h, replace } from './dom';
import { startHealthBanner } from './health-banner';
import type { PageContext, PageRender } from './page';
import { renderAlerts } from './pages/alerts';
import { renderBrands } from './pages/brands';
import { renderKeyword } from './pages/keyword';
import { renderMarketplaces } from './pages/marketplaces';
import { renderProducts } from './pages/products';
import { renderSettings } from './pages/settings';
import { Session } from './session';
import { parseHash } from './router';
import { renderSignIn } from './sign-in';
import type { MarketplaceView, RankingProductView } from './types';

const NAV: { path: string; label: string }[] = [
  { path: 'products', label: 'Products' },
  { path: 'alerts', label: 'Alerts' },
  { path: 'brands', label: 'Brands' },
  { path: 'marketplaces', label: 'Marketplaces' },
  { path: 'settings', label: 'Settings' },
];

function pageFor(page: string): PageRender {
  switch (page) {
    case 'keyword':
      return renderKeyword;
    case 'alerts':
      return renderAlerts;
    case 'brands':
      return renderBrands;
    case 'settings':
      return renderSettings;
    case 'marketplaces':
      return renderMarketplaces;
    default:
      return renderProducts;
  }
}

/** The signed-in app: header and navigation, health banner, the routed page. */
export function startApp(root: HTMLElement, session: Session, key: string): void {
  const signOut = (notice = ''): void => {
    session.signOut();
    stopHealth();
    leave();
    window.removeEventListener('hashchange', route);
    renderSignIn(root, (next, remember) => (session.signIn(next, remember), startApp(root, session, next)), notice);
  };
  const api = new Api(key, () => signOut('Your session ended: the API key is no longer accepted. Sign in again.'));
  const main = h('main', { id: 'main', tabindex: '-1' });
  const nav = h('nav', { 'aria-label': 'Main' }, ...NAV.map((item) => h('a', { href: `#/${item.path}` }, item.label)));
  const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', id: 'announcer' });
  const banner = h('div', { id: 'health-banner', role: 'status', hidden: true });
  const skip = h('a', { class: 'skip', href: '#main' }, 'Skip to content');
  skip.addEventListener('click', (event) => (event.preventDefault(), main.focus()));
  replace(
    root,
    skip,
    h(
      'header',
      { class: 'top' },
      h('span', { class: 'brand' }, 'ShelfWatch'),
      nav,
      h('button', { type: 'button', class: 'link', onclick: () => signOut() }, 'Sign out'),
    ),
    banner,
    main,
    announcer,
  );
  const stopHealth = startHealthBanner(banner);
  let productCache: Promise<RankingProductView[]> | null = null;
  let marketplaceCache: Promise<MarketplaceView[] | null> | null = null;
  let cleanups: (() => void)[] = [];
  let isLeft = false;
  const leave = (): void => {
    isLeft = true;
    cleanups.forEach((cleanup) => cleanup());
    cleanups = [];
  };
  let first = true;
  function route(): void {
    leave();
    const { page, params } = parseHash(window.location.hash);
    for (const link of nav.querySelectorAll('a')) {
      const current =
        link.getAttribute('href') === `#/${page}` || (page === 'keyword' && link.getAttribute('href') === '#/products');
      if (current) {
        link.setAttribute('aria-current', 'page');
      } else {
        link.removeAttribute('aria-current');
      }
    }
    let left = false;
    isLeft = false;
    cleanups.push(() => (left = true));
    const ctx: PageContext = {
      api,
      announce: (message) => {
        announcer.textContent = '';
        window.setTimeout(() => (announcer.textContent = message), 50);
      },
      products: () => (productCache ??= api.all('/v1/products')),
      invalidateProducts: () => (productCache = null),
      // Names and sites are a convenience of the forms and tables: without them they show ids.
      marketplaces: () =>
        (marketplaceCache ??= api.get('/v1/marketplaces').then(
          (view) => view.items,
          () => null,
        )),
      left: () => left || isLeft,
      onLeave: (cleanup) => cleanups.push(cleanup),
    };
    ctx.invalidateProducts();
    marketplaceCache = null;
    replace(main, h('p', { class: 'loading', role: 'status' }, 'Loading…'));
    pageFor(page)(ctx, params, main).catch((error: unknown) => {
      if (!ctx.left()) {
        const message = error instanceof ApiError ? error.message : 'Something went wrong while loading this page.';
        replace(main, h('h1', {}, 'This page could not be loaded'), h('p', { class: 'error', role: 'alert' }, message));
      }
    });
    if (!first) {
      main.focus();
    }
    first = false;
  }
  window.addEventListener('hashchange', route);
  route();
}
