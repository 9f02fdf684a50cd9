import type { Api } from './api';
import type { MarketplaceView, RankingProductView } from './types';

/** What every page gets: the API, a way to say things to screen readers, and the shared product list. */
export interface PageContext {
  api: Api;
  /** Polite live-region message ("Product added"). */
  announce(message: string): void;
  /** Every tracked product (cached until `invalidateProducts`). */
  products(): Promise<RankingProductView[]>;
  invalidateProducts(): void;
  /** The marketplaces the tenant can use (`GET /v1/marketplaces`, read once per page); null when it cannot be read. */
  marketplaces(): Promise<MarketplaceView[] | null>;
  /** True once the page was left: stop polling, ignore late answers. */
  readonly left: () => boolean;
  /** Registers clean-up (charts, timers) for when the page is left. */
  onLeave(cleanup: () => void): void;
}

/** A page renders itself into `main` from its route parameters. */
export type PageRender = (ctx: PageContext, params: URLSearchParams, main: HTMLElement) => Promise<void>;

/** Polls `probe` until it answers something other than null (every 500 ms, for at most `timeoutMs`); null if never. */
export async function until<T>(probe: () => Promise<T | null>, timeoutMs = 20_000): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await probe();
    if (answer !== null || Date.now() > deadline) {
      return answer;
    }
    await new Promise((resolve) => window.setTimeout(resolve, 500));
  }
}
