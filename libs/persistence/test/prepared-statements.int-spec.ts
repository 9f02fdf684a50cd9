import { MikroORM } from '@mikro-orm/postgresql';
import { TestDatabase, createTestDatabase } from '@shelfwatch/testing';
import { inTransaction, ormOptions, readPrepared } from '../src';

const BY_COLOUR = 'select id, colour from rp_t.items where colour = $1 order by id';

describe('readPrepared', () => {
  let db: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    db = await createTestDatabase();
    // As a service configures its ORM, with one connection: what a statement prepared there, the next read finds.
    orm = await MikroORM.init(ormOptions({ service: 'reporting', entities: [], migrations: [] }, db.adminUrl, 1));
    await orm.em
      .fork()
      .execute(
        "create schema rp_t; create table rp_t.items (id int primary key, colour text); insert into rp_t.items values (1, 'red'), (2, 'blue'), (3, 'red')",
      );
  });

  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  /** Statements prepared on the pool's connection whose text is `sql`. */
  async function preparedAs(sql: string): Promise<number> {
    const rows = await readPrepared<{ n: number }>(
      orm.em.fork(),
      'select count(*)::int as n from pg_prepared_statements where statement = $1',
      [sql],
    );
    return rows[0]?.n ?? 0;
  }

  it('answers the rows with bound values, and prepares the statement once for every later read', async () => {
    expect(await preparedAs(BY_COLOUR)).toBe(0);
    expect(await readPrepared(orm.em.fork(), BY_COLOUR, ['red'])).toEqual([
      { id: 1, colour: 'red' },
      { id: 3, colour: 'red' },
    ]);
    expect(await readPrepared(orm.em.fork(), BY_COLOUR, ['blue'])).toEqual([{ id: 2, colour: 'blue' }]);
    expect(await preparedAs(BY_COLOUR)).toBe(1);
  });

  it('reads inside the transaction it is given, unprepared: what the transaction wrote is there', async () => {
    const seen = await inTransaction(orm.em.fork(), async (em) => {
      await em.execute("insert into rp_t.items values (4, 'green')");
      return readPrepared(em, BY_COLOUR, ['green']);
    });
    expect(seen).toEqual([{ id: 4, colour: 'green' }]);
  });

  it('still answers after a migration changed the type of a column the prepared statement answers', async () => {
    expect(await readPrepared(orm.em.fork(), BY_COLOUR, ['red'])).toHaveLength(2);
    await orm.em.fork().execute('alter table rp_t.items alter column id type bigint');
    const after = [
      { id: '1', colour: 'red' },
      { id: '3', colour: 'red' },
    ];
    expect(await readPrepared(orm.em.fork(), BY_COLOUR, ['red'])).toEqual(after);
    // The stale connection was closed: the next read prepares the statement afresh instead of failing first.
    expect(await preparedAs(BY_COLOUR)).toBe(0);
    expect(await readPrepared(orm.em.fork(), BY_COLOUR, ['red'])).toEqual(after);
    expect(await preparedAs(BY_COLOUR)).toBe(1);
  });
});
