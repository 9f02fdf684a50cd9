import { PAGE_MAX_BYTES, Page, decodeCursor, toPage } from './pagination';

interface Row {
  id: string;
  text: string;
}

/** Ids in UUID form, in creation order, so cursors decode like real ones. */
function rows(count: number, textBytes: number): Row[] {
  return Array.from({ length: count }, (_, n) => ({
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    text: 'x'.repeat(textBytes),
  }));
}

/** What a store answers for `limit` after `cursor`: `limit + 1` rows in id order. */
function fetchPage(all: Row[], limit: number, cursor: string | null, maxBytes?: number): Page<Row> {
  const after = decodeCursor(cursor ?? undefined);
  const rest = after === undefined ? all : all.slice(all.findIndex((row) => row.id === after) + 1);
  return toPage(rest.slice(0, limit + 1), limit, all.length, (row) => row, maxBytes);
}

const jsonBytes = (items: unknown[]): number => Buffer.byteLength(JSON.stringify(items));

describe('toPage', () => {
  it('stops a page of large items at the byte budget, and its cursor leads to every other item once', () => {
    const all = rows(100, 20_000);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = fetchPage(all, 100, cursor);
      expect(jsonBytes(page.items)).toBeLessThanOrEqual(PAGE_MAX_BYTES);
      expect(page.total).toBe(100);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 100);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(all.map((row) => row.id));
  });

  it('gives a cursor when it stops early even though no row beyond the limit was fetched', () => {
    const page = fetchPage(rows(10, 1_000), 10, null, 4_500);
    expect(page.items).toHaveLength(4);
    expect(decodeCursor(page.nextCursor ?? undefined)).toBe(page.items[3]?.id);
  });

  it('still answers one item larger than the budget, so paging always advances', () => {
    const page = fetchPage(rows(3, 10_000), 3, null, 1_000);
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
  });

  it('answers `limit` small items, with no cursor on the last page', () => {
    const all = rows(5, 10);
    expect(fetchPage(all, 3, null)).toMatchObject({ items: all.slice(0, 3), total: 5 });
    const last = fetchPage(all, 5, null);
    expect(last).toMatchObject({ items: all, nextCursor: null });
  });
});
