import { MikroORM } from '@mikro-orm/postgresql';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { TestDatabase, createTestDatabase } from '@shelfwatch/testing';
import { freshEm, inTransaction } from '../src';

@Entity({ schema: 'tx_t', tableName: 'notes' })
class Note {
  @PrimaryKey({ type: 'int' })
  id: number;

  @Property({ type: 'text' })
  body: string;

  constructor(id: number, body: string) {
    this.id = id;
    this.body = body;
  }
}

describe('inTransaction and freshEm', () => {
  let db: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init({
      clientUrl: db.adminUrl,
      entities: [Note],
      metadataProvider: ReflectMetadataProvider,
      allowGlobalContext: false,
      pool: { min: 0, max: 4 },
    });
    await orm.em.fork().execute('create schema tx_t; create table tx_t.notes (id int primary key, body text not null)');
  });

  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  beforeEach(async () => {
    await orm.em.fork().execute('truncate tx_t.notes', [], 'run');
  });

  async function bodies(): Promise<string[]> {
    const rows = await orm.em.fork().execute<{ body: string }[]>('select body from tx_t.notes order by id');
    return rows.map((row) => row.body);
  }

  it("commits the work's statements and flushed entities together and returns its result", async () => {
    const result = await inTransaction(orm, async (em) => {
      await em.execute("insert into tx_t.notes (id, body) values (1, 'sql')", [], 'run');
      em.persist(new Note(2, 'entity'));
      return 'done';
    });

    expect(result).toBe('done');
    expect(await bodies()).toEqual(['sql', 'entity']);
  });

  it('rolls everything back and rethrows the very error when the work throws', async () => {
    const failure = new Error('refused');

    await expect(
      inTransaction(orm, async (em) => {
        await em.execute("insert into tx_t.notes (id, body) values (1, 'sql')", [], 'run');
        em.persist(new Note(2, 'entity'));
        await em.flush();
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await bodies()).toEqual([]);
  });

  it('accepts an entity manager as its source and still works on a fork of its own', async () => {
    const outer = orm.em.fork();
    const seen = await inTransaction(outer, async (em) => {
      em.persist(new Note(1, 'from em'));
      return em;
    });

    expect(seen).not.toBe(outer);
    expect(outer.getUnitOfWork().getIdentityMap().values()).toHaveLength(0);
    expect(await bodies()).toEqual(['from em']);
  });

  it('gives each call an identity map of its own', async () => {
    await inTransaction(orm, (em) => em.persist(new Note(1, 'first')));
    const reader = freshEm(orm);
    const loaded = await reader.findOneOrFail(Note, 1);
    await inTransaction(orm, async (em) => {
      const mine = await em.findOneOrFail(Note, 1);
      expect(mine).not.toBe(loaded);
      mine.body = 'second';
    });

    expect(freshEm(orm)).not.toBe(reader);
    expect(freshEm(reader).getUnitOfWork().getIdentityMap().values()).toHaveLength(0);
    expect(loaded.body).toBe('first');
    expect((await freshEm(orm).findOneOrFail(Note, 1)).body).toBe('second');
  });
});
