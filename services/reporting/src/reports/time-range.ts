import { REPORTING_MAX_HISTORY_POINTS, ReportingBucket } from '@shelfwatch/contracts';
import { dayBucket, hourBucket } from '../projections/buckets';
import { ReportingError } from '../reporting.errors';

const DAY_MS = 86_400_000;

/** A validated `[from, to)` range; refuses an empty or reversed one, or one longer than `maxDays`. */
export function checkedRange(from: string, to: string, maxDays: number): { from: string; to: string } {
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (!(start < end)) {
    throw ReportingError.invalid('from: must be before to');
  }
  if (end - start > maxDays * DAY_MS) {
    throw ReportingError.invalid(`to: the range may span at most ${maxDays} days`);
  }
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

/** Why a history of `series` keyword series is refused, and the longest range that would be answered. Pure. */
export function tooManyPoints(series: number, bucket: ReportingBucket): string {
  const perDay = bucket === 'hour' ? 24 : 1;
  const days = Math.floor(REPORTING_MAX_HISTORY_POINTS / Math.max(1, series) / perDay);
  const longest = days >= 1 ? `at most ${days} days` : 'less than a day';
  return (
    `to: the answer would hold more than ${REPORTING_MAX_HISTORY_POINTS} points; with ${series} keyword series ` +
    `${bucket === 'hour' ? 'an hourly' : 'a daily'} history may span ${longest}: ask for one keywordId, ` +
    'a shorter range or bucket=day'
  );
}

/** Start of the bucket holding `at`: a bucket overlapping the range's start is included whole. */
export function bucketFloor(at: string, bucket: ReportingBucket): string {
  return bucket === 'hour' ? hourBucket(at) : dayBucket(at);
}

/** UTC days `[first, endExclusive)` whose start lies before `to` and which overlap `[from, to)`. */
export function dayRange(from: string, to: string): { first: string; endExclusive: string } {
  const last = dayBucket(new Date(Date.parse(to) - 1).toISOString());
  return {
    first: dayBucket(from).slice(0, 10),
    endExclusive: new Date(Date.parse(last) + DAY_MS).toISOString().slice(0, 10),
  };
}
