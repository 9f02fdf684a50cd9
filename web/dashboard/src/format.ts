import type { OrderFidelity } from './types';

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const hourFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit' });

/** The currency of prices recorded before ShelfWatch kept currencies: they all came from Naver. */
export const LEGACY_CURRENCY = 'KRW';

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** The reader's format for one currency (its own fraction digits: ₩12,900, $12.99); null for a malformed code. */
function moneyFormat(currency: string): Intl.NumberFormat | null {
  let format = moneyFormats.get(currency);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      return null;
    }
    moneyFormats.set(currency, format);
  }
  return format;
}

/**
 * A price with its currency in the reader's locale (`₩12,900`, `$12.99`, `£8.50`); '—' when unknown. A price without
 * a currency is from before currencies were kept: KRW.
 */
export function price(value: number | null | undefined, currency: string | null | undefined): string {
  if (value === null || value === undefined) {
    return '—';
  }
  const code = currency ?? LEGACY_CURRENCY;
  return moneyFormat(code)?.format(value) ?? `${numberFormat.format(value)} ${code}`;
}

/** How many decimals prices in this currency have (KRW and JPY none, USD two). */
export function currencyDigits(currency: string): number {
  return moneyFormat(currency)?.resolvedOptions().maximumFractionDigits ?? 2;
}

/** How a rank reads next to how faithful the marketplace's order is. */
export interface RankView {
  /** "#3", or "≈ #3" when the order only approximates the shopper's. */
  text: string;
  /** Why it is approximate, for a title and for screen readers; null when exact. */
  note: string | null;
}

/**
 * Why a rank is only approximate (eBay's Best Match order differs by buyer, location and session), naming the
 * marketplace; null when the order is `exact` or the view is from before fidelity was kept.
 */
export function fidelityNote(fidelity: OrderFidelity | undefined, marketplaceName: string): string | null {
  return fidelity === 'approximate' ? `${marketplaceName}'s API order approximates what shoppers see` : null;
}

/** A rank with its order fidelity: "≈ #3" with the explanation when approximate, else "#3". */
export function rankView(rank: number, fidelity: OrderFidelity | undefined, marketplaceName: string): RankView {
  const note = fidelityNote(fidelity, marketplaceName);
  return { text: note === null ? `#${rank}` : `≈ #${rank}`, note };
}

/** A date and time in the reader's locale; '—' when absent. */
export function dateTime(iso: string | null | undefined): string {
  return iso ? dateTimeFormat.format(new Date(iso)) : '—';
}

/** A bucket's start as a chart label: the day, or the day and hour. */
export function bucketLabel(iso: string, bucket: 'hour' | 'day'): string {
  return (bucket === 'day' ? dayFormat : hourFormat).format(new Date(iso));
}

/** "5 min ago", "3 h ago", "2 d ago" relative to `now`; 'never' when absent. */
export function ago(iso: string | null | undefined, now: Date): string {
  if (!iso) {
    return 'never';
  }
  const minutes = Math.round((now.getTime() - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) {
    return 'just now';
  }
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} d ago`;
}

/** How a rank change reads: arrow + places (colour comes from `tone`, never alone) and a spoken label. */
export interface ChangeView {
  text: string;
  label: string;
  tone: 'up' | 'down' | 'same' | 'unknown';
}

/** `change` = previous rank − rank: positive moved up (better). */
export function rankChange(change: number | null): ChangeView {
  if (change === null) {
    return { text: '—', label: 'no earlier rank to compare', tone: 'unknown' };
  }
  if (change > 0) {
    return { text: `▲ ${change}`, label: `up ${change} since the previous crawl`, tone: 'up' };
  }
  if (change < 0) {
    return { text: `▼ ${-change}`, label: `down ${-change} since the previous crawl`, tone: 'down' };
  }
  return { text: '=', label: 'unchanged since the previous crawl', tone: 'same' };
}

/** Competitor price against mine (both in `currency`): how much cheaper (or dearer) the cheapest competitor is. */
export function priceGap(
  mine: number | null,
  lowest: number | null,
  currency: string | null | undefined,
): { text: string; undercut: boolean } {
  if (lowest === null) {
    return { text: 'no priced competitor', undercut: false };
  }
  if (mine === null) {
    return { text: 'my price unknown', undercut: false };
  }
  const diff = mine - lowest;
  if (diff > 0) {
    const percent = mine > 0 ? ` (${numberFormat.format((diff / mine) * 100)} %)` : '';
    return { text: `${price(diff, currency)} cheaper than mine${percent}`, undercut: true };
  }
  return { text: diff === 0 ? 'same as mine' : `${price(-diff, currency)} above mine`, undercut: false };
}

/** Alert type codes as words. */
export const ALERT_TYPE_LABELS = {
  price_undercut: 'Price undercut',
  rank_drop: 'Rank drop',
  product_missing: 'Product missing',
  new_competitor: 'New competitor',
} as const;

/** "1 page", "3 pages". */
export function count(n: number | null, singular: string, pluralForm = `${singular}s`): string {
  const value = n ?? 0;
  return `${value} ${value === 1 ? singular : pluralForm}`;
}

/** What a finished crawl found, as a phrase ("100 results on 1 page"). */
export function crawlSize(crawl: { itemCount: number | null; pagesFetched: number | null }): string {
  return `${count(crawl.itemCount, 'result')} on ${count(crawl.pagesFetched, 'page')}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A time of today in the reader's locale ("14:05:30"); '—' when absent. */
export function timeOfDay(iso: string | null | undefined): string {
  return iso ? timeFormat.format(new Date(iso)) : '—';
}
