import { ApiError } from './api';
import { dateTime } from './format';
import type { CrawlHealth, KeywordView, TenantPlan } from './types';

/** The intervals offered (minutes); the API accepts 5 to 10 080, the plan sets the lowest a tenant may pick. */
export const INTERVAL_CHOICES = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1_440, 2_880, 10_080] as const;

/** "every 15 minutes", "every 2 hours", "every day", "every 7 days". */
export function intervalLabel(minutes: number): string {
  if (minutes % 1_440 === 0) {
    const days = minutes / 1_440;
    return days === 1 ? 'every day' : `every ${days} days`;
  }
  if (minutes % 60 === 0) {
    const hours = minutes / 60;
    return hours === 1 ? 'every hour' : `every ${hours} hours`;
  }
  return `every ${minutes} minutes`;
}

/** The choices for a keyword: those the plan allows, plus the current one (kept even if the plan changed). */
export function intervalChoices(current: number, plan: TenantPlan | null): number[] {
  const allowed = INTERVAL_CHOICES.filter((minutes) => plan === null || minutes >= plan.minIntervalMinutes);
  return [...new Set([...allowed, current])].sort((a, b) => a - b);
}

/** The "⚠ failing" badge of a keyword and what its hover says; null when the keyword is not failing. */
export function failingBadge(health: CrawlHealth | undefined): { text: string; title: string } | null {
  if (health === undefined || !health.failing) {
    return null;
  }
  return { text: '⚠ failing', title: lastErrorText(health) };
}

/** The last error of a failing keyword in one sentence. */
export function lastErrorText(health: CrawlHealth): string {
  const times = `${health.consecutiveFailures} crawl${health.consecutiveFailures === 1 ? '' : 's'} in a row failed`;
  const error = health.lastError;
  const last = error === null ? '' : `; last: ${error.code}: ${error.message} (${dateTime(error.at)})`;
  const success =
    health.lastCrawledAt === null ? 'never crawled successfully' : `last success ${dateTime(health.lastCrawledAt)}`;
  return `${times}${last}; ${success}.`;
}

/** What a seller can change about a keyword. */
export interface KeywordSettings {
  intervalMinutes: number;
  paused: boolean;
}

/** A refused `PATCH /v1/keywords/:id`, as a sentence (the plan's minimum named when the interval was too short). */
export function keywordChangeFailure(error: unknown, plan: TenantPlan | null): string {
  if (error instanceof ApiError && error.status === 400) {
    const intervalRefused = error.problem?.errors?.some((e) => e.field === 'intervalMinutes') ?? false;
    const detail = error.problem?.detail ?? '';
    if (intervalRefused || /interval/i.test(detail)) {
      const minimum =
        plan === null
          ? ''
          : ` Your ${plan.name} plan crawls a keyword at most ${intervalLabel(plan.minIntervalMinutes)}.`;
      return `That interval is not allowed, so the keyword keeps its previous one.${minimum}`;
    }
  }
  const reason = error instanceof Error ? error.message : 'the change could not be saved.';
  return `The change was not saved, so the keyword keeps its previous settings. ${reason}`;
}

/**
 * Changes a keyword optimistically: shows the change at once, sends it, then shows what the API kept, or puts
 * the previous settings back with a sentence. Answers the settings now in force.
 */
export async function changeKeyword(
  current: KeywordSettings,
  change: Partial<KeywordSettings>,
  send: (body: Partial<KeywordSettings>) => Promise<KeywordView>,
  show: (settings: KeywordSettings, message: string, failed: boolean) => void,
  plan: TenantPlan | null,
): Promise<KeywordSettings> {
  show({ ...current, ...change }, 'Saving…', false);
  try {
    const saved = await send(change);
    const settings = { intervalMinutes: saved.intervalMinutes, paused: saved.paused ?? current.paused };
    const what = settings.paused ? 'paused: no scheduled crawls' : `crawled ${intervalLabel(settings.intervalMinutes)}`;
    show(settings, `Saved: this keyword is ${what}.`, false);
    return settings;
  } catch (error) {
    show(current, keywordChangeFailure(error, plan), true);
    return current;
  }
}
