import { EntityManager } from '@mikro-orm/postgresql';
import { ReportingBrandShare, ReportingBrandsView } from '@shelfwatch/contracts';
import { dayRange } from './time-range';

interface SlotRow {
  day: string;
  brand: string;
  slots: number;
}

/** Slots per day and brand of one keyword's top N over a day range (tenant, keyword, first, end, topN). */
export const BRANDS_SQL = `select to_char(day, 'YYYY-MM-DD') as day, brand, sum(slots)::int as slots
    from reporting.brand_slots
   where tenant_id = ? and keyword_id = ? and day >= ?::date and day < ?::date and rank <= ?
   group by day, brand order by day`;

/** Shares of `total`, largest first, ties by brand. */
function shares(slots: Map<string, number>, total: number): ReportingBrandShare[] {
  return [...slots.entries()]
    .map(([brand, n]) => ({ brand, slots: n, share: total === 0 ? 0 : n / total }))
    .sort((a, b) => b.slots - a.slots || (a.brand < b.brand ? -1 : a.brand > b.brand ? 1 : 0));
}

/**
 * Brand share of a keyword's top `topN` per UTC day and over `[from, to)`: one index range over
 * `brand_slots (tenant_id, keyword_id, day, …)`, at most 100 rank rows per day and brand, summed here.
 */
export async function brandShare(
  em: EntityManager,
  input: { tenantId: string; keywordId: string; from: string; to: string; topN: number },
): Promise<ReportingBrandsView> {
  const { first, endExclusive } = dayRange(input.from, input.to);
  const rows = await em.execute<SlotRow[]>(BRANDS_SQL, [
    input.tenantId,
    input.keywordId,
    first,
    endExclusive,
    input.topN,
  ]);
  const byDay = new Map<string, Map<string, number>>();
  const overall = new Map<string, number>();
  for (const row of rows) {
    const day = byDay.get(row.day) ?? new Map<string, number>();
    day.set(row.brand, row.slots);
    byDay.set(row.day, day);
    overall.set(row.brand, (overall.get(row.brand) ?? 0) + row.slots);
  }
  const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  return {
    keywordId: input.keywordId,
    topN: input.topN,
    from: input.from,
    to: input.to,
    brands: shares(overall, sum(overall)),
    days: [...byDay.entries()].map(([day, slots]) => {
      const totalSlots = sum(slots);
      return { day, totalSlots, brands: shares(slots, totalSlots) };
    }),
  };
}
