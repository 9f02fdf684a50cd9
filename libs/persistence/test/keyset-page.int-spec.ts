import { MikroORM } from '@mikro-orm/postgresql';
import { Page, decodeCursor, toPage } from '@shelfwatch/contracts';
import { TestDatabase, createTestDatabase } from '@shelfwatch/testing';
import { KeysetQuery, keysetPage } from '../src';

interface ItemRow {
  id: string;
  tenant_id: string;
  colour: string;
}

/** The n-th id in creation order (UUIDv7 ids sort by creation time; these sort by n). */
function id(n: number): string {
  return `0190c000-0000-7000-8000-${String(n).padStart(12, '0')}`;
}

/** Ten items of tenant `a` (odd ones red, even ones blue) and three of tenant `b`, inserted out of order. */
const ITEMS: ItemRow[] = [
  ...[7, 2, 9, 1, 10, 4, 6, 3, 8, 5].map((n) => ({ id: id(n), tenant_id: 'a', colour: n % 2 ? 'red' : 'blue' })),
  ...[11, 12, 13].map((n) => ({ id: id(n), tenant_id: 'b', colour: 'red' })),
];

function query(order: 'asc' | 'desc', colour?: string): KeysetQuery {
  return {
    columns: 'id, tenant_id, colour',
    from: 'ks_t.items',
    where: colour === undefined ? 'tenant_id = ?' : 'tenant_id = ? and colour = ?',
    params: colour === undefined ? ['a'] : ['a', colour],
    key: 'id',
    order,
  };
}

describe('keysetPage', () => {
  let db: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init({
      clientUrl: db.adminUrl,
      entities: [],
      discovery: { warnWhenNoEntities: false },
      allowGlobalContext: false,
      pool: { min: 0, max: 4 },
    });
    const em = orm.em.fork();
    await em.execute('create schema ks_t; create table ks_t.items (id uuid primary key, tenant_id text, colour text)');
    for (const item of ITEMS) {
      await em.execute('insert into ks_t.items values (?, ?, ?)', [item.id, item.tenant_id, item.colour], 'run');
    }
  });

  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  /** Every page a reader gets by following `nextCursor` from the first, as `toPage` builds them. */
  async function readAll(q: KeysetQuery, limit: number, parallel?: boolean): Promise<Page<string>[]> {
    const pages: Page<string>[] = [];
    let cursor: string | undefined;
    do {
      const { rows, total } = await keysetPage<ItemRow>(orm.em.fork(), q, {
        limit,
        after: decodeCursor(cursor),
        parallel,
      });
      const page = toPage(rows, limit, total, (row) => row.id);
      pages.push(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return pages;
  }

  it('reads limit + 1 rows in ascending key order with the count of all matching rows', async () => {
    const { rows, total } = await keysetPage<ItemRow>(orm.em.fork(), query('asc'), { limit: 3 });

    expect(rows.map((row) => row.id)).toEqual([id(1), id(2), id(3), id(4)]);
    expect(total).toBe(10);
  });

  it('reads the rows after the cursor in ascending order, and before it in descending order', async () => {
    const asc = await keysetPage<ItemRow>(orm.em.fork(), query('asc'), { limit: 3, after: id(4) });
    const desc = await keysetPage<ItemRow>(orm.em.fork(), query('desc'), { limit: 3, after: id(4) });

    expect(asc.rows.map((row) => row.id)).toEqual([id(5), id(6), id(7), id(8)]);
    expect(desc.rows.map((row) => row.id)).toEqual([id(3), id(2), id(1)]);
    expect([asc.total, desc.total]).toEqual([10, 10]);
  });

  it('pages newest first through every matching row exactly once, the total counting the filter', async () => {
    const pages = await readAll(query('desc', 'red'), 2);

    expect(pages.map((page) => page.items)).toEqual([[id(9), id(7)], [id(5), id(3)], [id(1)]]);
    expect(pages.map((page) => page.total)).toEqual([5, 5, 5]);
  });

  it('answers the same pages whether the count runs beside the page or before it', async () => {
    const parallel = await readAll(query('asc', 'blue'), 2, true);
    const sequential = await readAll(query('asc', 'blue'), 2, false);

    expect(parallel).toEqual(sequential);
    expect(parallel.flatMap((page) => page.items)).toEqual([id(2), id(4), id(6), id(8), id(10)]);
    expect(parallel[0]?.total).toBe(5);
  });

  it('answers no rows and a total of 0 when nothing matches', async () => {
    const page = await keysetPage<ItemRow>(orm.em.fork(), { ...query('desc'), params: ['nobody'] }, { limit: 5 });

    expect(page).toEqual({ rows: [], total: 0 });
  });
});
