import { ApiError } from './api';
import { dateTime } from './format';
import { crawlHealth, plan } from './views.factory';
import {
  type KeywordSettings,
  changeKeyword,
  failingBadge,
  intervalChoices,
  intervalLabel,
  keywordChangeFailure,
} from './keyword-settings';
import type { KeywordView } from './types';

const keyword = (overrides: Partial<KeywordView> = {}): KeywordView => ({
  id: '00000000-0000-4000-8000-000000000009',
  marketplace: 'naver',
  site: null,
  keyword: 'wireless earbuds',
  intervalMinutes: 60,
  productIds: [],
  paused: false,
  crawlHealth: crawlHealth(),
  ...overrides,
});

/** A refused interval as S2's gateway answers it: 400 naming the field. */
const belowMinimum = new ApiError(
  400,
  {
    type: 'https://shelfwatch.dev/problems/validation',
    title: 'Invalid request',
    status: 400,
    detail: 'intervalMinutes is below the plan minimum',
    errors: [{ in: 'body', field: 'intervalMinutes', message: 'the standard plan allows 15 minutes at least' }],
  },
  'Please check the form: intervalMinutes: the standard plan allows 15 minutes at least.',
);

describe('a failing keyword', () => {
  it('gets a "⚠ failing" badge whose hover tells the last error, its code and time', () => {
    const at = '2026-12-03T09:30:00.000Z';
    const badge = failingBadge(
      crawlHealth({
        failing: true,
        consecutiveFailures: 3,
        lastError: { code: 'marketplace_unavailable', message: 'Naver answered 503', at },
      }),
    );
    expect(badge?.text).toBe('⚠ failing');
    expect(badge?.title).toBe(
      `3 crawls in a row failed; last: marketplace_unavailable: Naver answered 503 (${dateTime(at)}); ` +
        `last success ${dateTime('2026-12-03T10:00:00.000Z')}.`,
    );
  });

  it('has no badge when crawls succeed or the gateway does not report crawl health', () => {
    expect(failingBadge(crawlHealth())).toBeNull();
    expect(failingBadge(undefined)).toBeNull();
  });
});

describe('the interval of a keyword', () => {
  it('offers only the intervals the plan allows, and keeps the current one', () => {
    expect(intervalChoices(60, plan({ minIntervalMinutes: 60 }))[0]).toBe(60);
    expect(intervalChoices(5, plan({ minIntervalMinutes: 15 })).slice(0, 3)).toEqual([5, 15, 30]);
    expect(intervalChoices(60, null)[0]).toBe(5);
  });

  it('reads in words', () => {
    expect(intervalLabel(15)).toBe('every 15 minutes');
    expect(intervalLabel(60)).toBe('every hour');
    expect(intervalLabel(360)).toBe('every 6 hours');
    expect(intervalLabel(1_440)).toBe('every day');
    expect(intervalLabel(10_080)).toBe('every 7 days');
  });
});

describe('changing a keyword through PATCH /v1/keywords/:id', () => {
  const shown: { settings: KeywordSettings; message: string; failed: boolean }[] = [];
  const show = (settings: KeywordSettings, message: string, failed: boolean): void => {
    shown.push({ settings, message, failed });
  };
  beforeEach(() => (shown.length = 0));
  const current: KeywordSettings = { intervalMinutes: 60, paused: false };

  it('shows the new interval at once, then what the API kept', async () => {
    const sent: unknown[] = [];
    const final = await changeKeyword(
      current,
      { intervalMinutes: 30 },
      (body) => (sent.push(body), Promise.resolve(keyword({ intervalMinutes: 30 }))),
      show,
      plan(),
    );
    expect(sent).toEqual([{ intervalMinutes: 30 }]);
    expect(shown[0]).toEqual({ settings: { intervalMinutes: 30, paused: false }, message: 'Saving…', failed: false });
    expect(shown[1]?.message).toBe('Saved: this keyword is crawled every 30 minutes.');
    expect(final).toEqual({ intervalMinutes: 30, paused: false });
  });

  it('pauses and resumes', async () => {
    const paused = await changeKeyword(
      current,
      { paused: true },
      () => Promise.resolve(keyword({ paused: true })),
      show,
      plan(),
    );
    expect(paused.paused).toBe(true);
    expect(shown[1]?.message).toBe('Saved: this keyword is paused: no scheduled crawls.');
  });

  it('puts the previous interval back with a sentence naming the plan minimum on a 400', async () => {
    const final = await changeKeyword(
      current,
      { intervalMinutes: 5 },
      () => Promise.reject(belowMinimum),
      show,
      plan(),
    );
    expect(shown[0]?.settings.intervalMinutes).toBe(5);
    expect(shown[1]).toEqual({
      settings: current,
      message:
        'That interval is not allowed, so the keyword keeps its previous one. ' +
        'Your standard plan crawls a keyword at most every 15 minutes.',
      failed: true,
    });
    expect(final).toEqual(current);
  });

  it('puts a refused pause back too, saying why', async () => {
    const failure = new ApiError(0, null, 'ShelfWatch could not be reached. Check your connection and try again.');
    const final = await changeKeyword(current, { paused: true }, () => Promise.reject(failure), show, null);
    expect(shown[0]?.settings.paused).toBe(true);
    expect(shown[1]?.settings.paused).toBe(false);
    expect(shown[1]?.message).toBe(
      'The change was not saved, so the keyword keeps its previous settings. ShelfWatch could not be reached. Check your connection and try again.',
    );
    expect(final.paused).toBe(false);
  });

  it('words a 400 without the plan known', () => {
    expect(keywordChangeFailure(belowMinimum, null)).toBe(
      'That interval is not allowed, so the keyword keeps its previous one.',
    );
  });
});
