import { ApiError } from '../api';
import { errorText } from '../dialog';
import { h, replace } from '../dom';
import { count, crawlSize, timeOfDay } from '../format';
import type { PageContext } from '../page';
import type { CrawlView } from '../types';

const POLL_MS = 1_000;
const GIVE_UP_MS = 180_000;

/** The 409 of `POST /v1/crawls`, in words. */
export const ALREADY_RUNNING_TEXT =
  'A crawl of this keyword is already running (started by its schedule or an earlier click). ' +
  'Only one crawl of a keyword runs at a time, so no second one was started: following that one instead.';

/** Why a crawl failed, in words, with how often it was tried (the quota code gets its own sentence). */
function failureText(crawl: CrawlView): string {
  const tries = (crawl.attempts ?? 1) > 1 ? ` after ${crawl.attempts} attempts` : '';
  const reason =
    crawl.failureCode === 'tenant_quota_exhausted'
      ? "your share of today's marketplace requests is used up; it resets tomorrow (see Settings)"
      : (crawl.failureMessage ?? crawl.failureCode ?? 'no reason given');
  return `The crawl failed${tries}: ${reason}. The previous results stay shown.`;
}

/** A crawl waiting to retry: which attempt failed, and when the next one starts. */
function retryText(crawl: CrawlView, nextAttemptAt: string): string {
  const attempts = crawl.attempts ?? 1;
  const reason = crawl.failureMessage ?? crawl.failureCode;
  return (
    `Attempt ${attempts} failed${reason ? ` (${reason})` : ''}; ` +
    `trying again at ${timeOfDay(nextAttemptAt)} (attempt ${attempts + 1}).`
  );
}

/** A crawl's progress in words, with its attempts when it is waiting to retry. */
export function progressText(crawl: CrawlView): string {
  const waiting = crawl.nextAttemptAt ?? null;
  switch (crawl.status) {
    case 'requested':
      return waiting === null ? 'Queued: waiting for a crawler…' : retryText(crawl, waiting);
    case 'running': {
      if (waiting !== null) {
        return retryText(crawl, waiting);
      }
      const attempt = (crawl.attempts ?? 1) > 1 ? ` (attempt ${crawl.attempts})` : '';
      return `Crawling${attempt}… ${count(crawl.pagesFetched, 'page')} read so far.`;
    }
    case 'completed':
      return `Crawled ${crawlSize(crawl)}. Updating the table and charts…`;
    case 'failed':
      return failureText(crawl);
    default: {
      const never: never = crawl.status;
      return String(never);
    }
  }
}

/** The newest crawl of a keyword (the one that made the request a 409), if any. */
async function newestCrawl(ctx: PageContext, keywordId: string): Promise<CrawlView | null> {
  const page = await ctx.api.get('/v1/crawls', { query: { keywordId, limit: 1 } });
  return page.items[0] ?? null;
}

/** "Crawl now": asks for a crawl and shows its progress; once it ends, `finished` refreshes and says how it went. */
export function crawlNowControl(
  ctx: PageContext,
  keywordId: string,
  finished: (crawl: CrawlView) => Promise<string>,
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
      const crawl = await ctx.api.get('/v1/crawls/{id}', { params: { id: crawlId } });
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
      const requested = await ctx.api.post('/v1/crawls', { keywordId });
      // A keyword's crawl answers one crawlId (a product's would answer one per keyword).
      if ('crawlId' in requested) {
        await follow(requested.crawlId);
      }
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
