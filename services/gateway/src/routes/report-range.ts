import { Readable } from 'node:stream';
import { REPORTING_RPC, ReportingBucket, RpcRequest } from '@shelfwatch/contracts';
import { z } from 'zod';
import { Downstream } from '../downstream/downstream';

const DAY_MS = 86_400_000;

/** Default look-back of a history when `from` is absent: a week of hours, a month of days. */
export const DEFAULT_RANGE_DAYS: Record<ReportingBucket, number> = { hour: 7, day: 30 };

/** `from` / `to` of a report's query string (ISO 8601 with offset); both optional. */
export const rangeQuery = {
  from: z.iso.datetime({ offset: true }).optional().describe('Inclusive; default `to` minus 7 days (hour) or 30 (day)'),
  to: z.iso.datetime({ offset: true }).optional().describe('Exclusive; default now'),
};

/** Fills a missing `to` with now and a missing `from` with the bucket's default look-back. Pure. */
export function withRange<Q extends { from?: string; to?: string }>(
  query: Q,
  bucket: ReportingBucket,
  now: Date,
): Q & { from: string; to: string } {
  const to = query.to ?? now.toISOString();
  const from = query.from ?? new Date(new Date(to).getTime() - DEFAULT_RANGE_DAYS[bucket] * DAY_MS).toISOString();
  return { ...query, from, to };
}

/**
 * The CSV export as a stream of the reporting's bounded chunks. The first chunk is fetched before the
 * answer starts, so a refused request is still a problem+json; a failure after that cuts the stream.
 */
export async function exportCsv(
  downstream: Downstream,
  request: RpcRequest<typeof REPORTING_RPC.exportPage>,
): Promise<Readable> {
  const first = await downstream.call(REPORTING_RPC.exportPage, request);
  async function* chunks(): AsyncGenerator<string> {
    yield first.csv;
    let cursor = first.nextCursor;
    while (cursor !== null) {
      const page = await downstream.call(REPORTING_RPC.exportPage, { ...request, cursor });
      yield page.csv;
      cursor = page.nextCursor;
    }
  }
  return Readable.from(chunks());
}
