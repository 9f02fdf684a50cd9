import { ApiError } from '../api';
import { errorText } from '../dialog';
import { h, replace } from '../dom';
import { count, crawlSize } from '../format';
import type { PageContext } from '../page';
import type { CrawlerCrawlView, Page } from '../types';

const POLL_MS = 1_000;
const GIVE_UP_MS = 180_000;

/** The 409 of `POST /v1/crawls`, in words. */
export const ALREADY_RUNNING_TEXT =
  'A crawl of this keyword is already running (started by its schedule or an earlier click). ' +
  'Only one crawl of a keyword runs at a time, so no second one was started: following that one instead.';

function progressText(crawl: CrawlerCrawlView): string {
  switch (crawl.status) {
    case 'requested':
      return 'Queued: waiting for a crawler…';
    case 'running':
      return `Crawling… ${count(crawl.pagesFetched, 'page')} read so far.`;
    case 'completed':
      return `Crawled ${crawlSize(crawl)}. Updating the table and charts…`;
    case 'failed':
      return `The crawl failed: ${crawl.failureMessage ?? crawl.failureCode ?? 'no reason given'}. The previous results stay shown.`;
    default: {
      const never: never = crawl.status;
      return String(never);
    }
  }
}

/** The newest crawl of a keyword (the one that made the request a 409), if any. */
async function newestCrawl(ctx: PageContext, keywordId: string): Promise<CrawlerCrawlView | null> {
  const page = await ctx.api.get<Page<CrawlerCrawlView>>('/v1/crawls', { keywordId, limit: 1 });
  return page.items[0] ?? null;
}

/** "Crawl now": asks for a crawl and shows its progress; once it ends, `finished` refreshes and says how it went. */
export function crawlNowControl(
  ctx: PageContext,
  keywordId: string,
  finished: (crawl: CrawlerCrawlView) => Promise<string>,
): HTMLElement {
  const button = h('button', { type: 'button', class: 'primary' }, 'Crawl now');
  const progress = h('progress', { hidden: true, 'aria-label': 'Crawl progress' });
  const status = h('p', { role: 'status', class: 'crawl-status', 'aria-live': 'polite' });
  const note = h('p', { class: 'notice', hidden: true });

  const follow = async (crawlId: string): Promise<void> => {
    const started = Date.now();
    progress.hidden = false;
    for (;;) {
      if (ctx.left()) {
        return;
      }
      const crawl = await ctx.api.get<CrawlerCrawlView>(`/v1/crawls/${crawlId}`);
      status.textContent = progressText(crawl);
      if (crawl.status === 'completed' || crawl.status === 'failed') {
        status.textContent = await finished(crawl);
        progress.hidden = true;
        return;
      }
      if (Date.now() - started > GIVE_UP_MS) {
        status.textContent = 'Still running after 3 minutes. The results will appear here when it finishes.';
        progress.hidden = true;
        return;
      }
      await new Promise((resolve) => window.setTimeout(resolve, POLL_MS));
    }
  };

  const requestOrFollow = async (): Promise<void> => {
    try {
      const requested = await ctx.api.post<{ crawlId: string }>('/v1/crawls', { keywordId });
      await follow(requested.crawlId);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409)) {
        throw error;
      }
      note.hidden = false;
      note.textContent = ALREADY_RUNNING_TEXT;
      // Follow that crawl to its end; if it finished meanwhile, this shows its outcome and refreshes at once.
      const running = await newestCrawl(ctx, keywordId);
      if (running) {
        await follow(running.crawlId);
      } else {
        status.textContent = 'That crawl has just finished. Reload the page to see its results.';
      }
    }
  };

  const start = async (): Promise<void> => {
    note.hidden = true;
    status.textContent = 'Asking for a crawl…';
    try {
      await requestOrFollow();
    } catch (error) {
      progress.hidden = true;
      status.textContent = errorText(error);
    }
  };

  button.addEventListener('click', () => {
    button.disabled = true;
    void start().finally(() => (button.disabled = false));
  });
  const box = h('div', { class: 'crawl-now' });
  replace(box, button, progress, status, note);
  return box;
}
