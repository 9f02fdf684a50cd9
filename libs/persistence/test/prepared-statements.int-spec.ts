import { MikroORM } from '@mikro-orm/postgresql';
import { TestDatabase, createTestDatabase } from '@shelfwatch/testing';
import { executeBound, executePrepared, inTransaction, ormOptions } from '../src';

const BY_COLOUR = 'select id, colour from rp_t.items where colour = $1 order by id';
const COLOURS = 'select distinct colour from rp_t.items where id > $1 order by colour';
const RENAME = 'update rp_t.items set colour = $2 where id = $1 returning id, colour';

describe('prepared statements', () => {
  let db: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    db = await createTestDatabase();
    // As a service configures its ORM, with one connection: what a statement prepared there, the next run finds.
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
    const rows = await executeBound<{ n: number }>(
      orm.em.fork(),
      'select count(*)::int as n from pg_prepared_statements where statement = $1',
      [sql],
    );
    return rows[0]?.n ?? 0;
  }

  it('answers the rows with bound values, and prepares the statement once for every later run', async () => {
    expect(await preparedAs(BY_COLOUR)).toBe(0);
    expect(await executePrepared(orm.em.fork(), BY_COLOUR, ['red'])).toEqual([
      { id: 1, colour: 'red' },
      { id: 3, colour: 'red' },
    ]);
    expect(await executePrepared(orm.em.fork(), BY_COLOUR, ['blue'])).toEqual([{ id: 2, colour: 'blue' }]);
    expect(await preparedAs(BY_COLOUR)).toBe(1);
  });

  it('leaves a statement that is not marked unprepared', async () => {
    expect(await executeBound(orm.em.fork(), COLOURS, [0])).toEqual([{ colour: 'blue' }, { colour: 'red' }]);
    expect(await preparedAs(COLOURS)).toBe(0);
  });

  it('runs prepared inside the transaction it is given, seeing what the transaction wrote', async () => {
    const seen = await inTransaction(orm.em.fork(), async (em) => {
      await em.execute("insert into rp_t.items values (4, 'green')");
      const renamed = await executePrepared(em, RENAME, [4, 'teal']);
      return { renamed, read: await executePrepared(em, BY_COLOUR, ['teal']) };
    });
    expect(seen).toEqual({ renamed: [{ id: 4, colour: 'teal' }], read: [{ id: 4, colour: 'teal' }] });
    expect(await preparedAs(RENAME)).toBe(1);
    const rolledBack = new Error('rolled back');
    await expect(
      inTransaction(orm.em.fork(), async (em) => {
        await executePrepared(em, RENAME, [4, 'olive']);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await executePrepared(orm.em.fork(), BY_COLOUR, ['teal'])).toEqual([{ id: 4, colour: 'teal' }]);
  });

  it('still answers after a migration changed the type of a column the prepared statement answers', async () => {
    expect(await executePrepared(orm.em.fork(), BY_COLOUR, ['red'])).toHaveLength(2);
    await orm.em.fork().execute('alter table rp_t.items alter column id type bigint');
    const after = [
      { id: '1', colour: 'red' },
      { id: '3', colour: 'red' },
    ];
    expect(await executePrepared(orm.em.fork(), BY_COLOUR, ['red'])).toEqual(after);
    // Prepared afresh, with the new columns: the next run answers at once.
    expect(await preparedAs(BY_COLOUR)).toBe(1);
    expect(await executePrepared(orm.em.fork(), BY_COLOUR, ['red'])).toEqual(after);
  });

  it('fails the transaction in which the change is first seen, and runs the statement afresh after it', async () => {
    expect(await executePrepared(orm.em.fork(), BY_COLOUR, ['blue'])).toEqual([{ id: '2', colour: 'blue' }]);
    await orm.em.fork().execute('alter table rp_t.items alter column colour type varchar(20)');
    await expect(inTransaction(orm.em.fork(), (em) => executePrepared(em, BY_COLOUR, ['blue']))).rejects.toThrow(
      /cached plan must not change result type/,
    );
    // The next transaction on the same connection (the pool has one) prepares it afresh.
    expect(await inTransaction(orm.em.fork(), (em) => executePrepared(em, BY_COLOUR, ['blue']))).toEqual([
      { id: '2', colour: 'blue' },
    ]);
    expect(await preparedAs(BY_COLOUR)).toBe(1);
  });
});
