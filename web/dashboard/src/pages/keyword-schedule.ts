import { field, h, replace } from '../dom';
import { dateTime } from '../format';
import {
  type KeywordSettings,
  changeKeyword,
  intervalChoices,
  intervalLabel,
  lastErrorText,
} from '../keyword-settings';
import type { PageContext } from '../page';
import type { KeywordView, TenantPlan } from '../types';

/** The tenant's plan, or null when the gateway does not say (older gateway, or the call failed). */
export async function tenantPlan(ctx: PageContext): Promise<TenantPlan | null> {
  try {
    return (await ctx.api.get('/v1/tenant')).plan ?? null;
  } catch {
    return null;
  }
}

/** The tenant's keywords by id; empty when the list cannot be read (the page works without it). */
export async function keywordsById(ctx: PageContext): Promise<Map<string, KeywordView>> {
  try {
    const keywords = await ctx.api.all('/v1/keywords');
    return new Map(keywords.map((keyword) => [keyword.id, keyword]));
  } catch {
    return new Map();
  }
}

function healthNotice(keyword: KeywordView): HTMLElement | null {
  const health = keyword.crawlHealth;
  if (health === undefined) {
    return null;
  }
  if (health.failing) {
    return h(
      'p',
      { class: 'notice failing', 'data-testid': 'keyword-failing' },
      h('span', { class: 'badge failing' }, '⚠ failing'),
      ' ',
      lastErrorText(health),
    );
  }
  return h(
    'p',
    { class: 'muted' },
    health.lastCrawledAt === null
      ? 'Not crawled yet.'
      : `Crawls succeed: last success ${dateTime(health.lastCrawledAt)}.`,
  );
}

/** Interval and pause of a keyword, changed through `PATCH /v1/keywords/:id` (optimistic, reverted on error). */
function scheduleForm(ctx: PageContext, keyword: KeywordView, plan: TenantPlan | null, paused: boolean): HTMLElement {
  let current: KeywordSettings = { intervalMinutes: keyword.intervalMinutes, paused };
  const select = h('select', { name: 'intervalMinutes' });
  // The label says what a click does (no aria-pressed: its name changes with the state).
  const toggle = h('button', { type: 'button' });
  const status = h('p', { role: 'status', class: 'schedule-status' });
  const show = (settings: KeywordSettings, message: string, failed: boolean): void => {
    replace(
      select,
      ...intervalChoices(settings.intervalMinutes, plan).map((minutes) =>
        h('option', { value: minutes, selected: minutes === settings.intervalMinutes }, intervalLabel(minutes)),
      ),
    );
    select.value = String(settings.intervalMinutes);
    toggle.textContent = settings.paused ? 'Resume scheduled crawls' : 'Pause scheduled crawls';
    status.textContent = message;
    status.className = failed ? 'schedule-status error' : 'schedule-status';
  };
  const change = async (next: Partial<KeywordSettings>): Promise<void> => {
    select.disabled = toggle.disabled = true;
    const send = (body: Partial<KeywordSettings>): Promise<KeywordView> =>
      ctx.api.patch('/v1/keywords/{id}', body, { params: { id: keyword.id } });
    current = await changeKeyword(current, next, send, show, plan);
    select.disabled = toggle.disabled = false;
  };
  select.addEventListener('change', () => void change({ intervalMinutes: Number(select.value) }));
  toggle.addEventListener('click', () => void change({ paused: !current.paused }));
  show(current, current.paused ? 'Paused: no scheduled crawls (“Crawl now” still works).' : '', false);
  return h(
    'form',
    { class: 'schedule', onsubmit: (event: Event) => event.preventDefault() },
    field(
      'Crawl',
      select,
      plan === null
        ? undefined
        : `Your ${plan.name} plan crawls a keyword at most ${intervalLabel(plan.minIntervalMinutes)}.`,
    ),
    toggle,
    status,
  );
}

/** The keyword's schedule and crawl health: "⚠ failing" with the last error, interval and pause. */
export async function renderKeywordSchedule(ctx: PageContext, keywordId: string, section: HTMLElement): Promise<void> {
  const [keywords, plan] = await Promise.all([keywordsById(ctx), tenantPlan(ctx)]);
  const keyword = keywords.get(keywordId);
  if (ctx.left() || keyword === undefined) {
    return;
  }
  // `paused` comes with keyword management: without it the gateway has no PATCH, so the schedule is shown as text.
  const editable = typeof keyword.paused === 'boolean';
  replace(
    section,
    h('h2', { id: 'schedule-title' }, 'Schedule'),
    healthNotice(keyword),
    editable
      ? scheduleForm(ctx, keyword, plan, keyword.paused === true)
      : h('p', {}, `Crawled ${intervalLabel(keyword.intervalMinutes)}.`),
  );
  section.hidden = false;
}
