import { MikroORM } from '@mikro-orm/postgresql';
import { TestDatabase, createTestDatabase, logger, openServiceOrm } from '@shelfwatch/testing';
import { InboxPruner, defaultInboxPrunerOptions } from '../src/inbox-pruner';

describe('inbox pruning', () => {
  let db: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openServiceOrm(db, 'ranking');
  });

  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  beforeEach(async () => {
    const em = orm.em.fork();
    await em.execute('truncate ranking.inbox', [], 'run');
    // 7 rows processed two days ago, 3 rows an hour ago.
    await em.execute(
      `insert into ranking.inbox (consumer, event_id, event_type, processed_at)
       select 'ranking-tracking', gen_random_uuid(), 'tracking.keyword.added',
              now() - case when n <= 7 then interval '2 days' else interval '1 hour' end
         from generate_series(1, 10) n`,
      [],
      'run',
    );
  });

  const remaining = async () =>
    (
      await orm.em.fork().execute<{ old: string; recent: string }[]>(
        `select count(*) filter (where processed_at < now() - interval '1 day') as old,
              count(*) filter (where processed_at >= now() - interval '1 day') as recent from ranking.inbox`,
      )
    )[0];

  function pruner(options: Partial<typeof defaultInboxPrunerOptions>): InboxPruner {
    return new InboxPruner(orm, logger, {
      ...defaultInboxPrunerOptions,
      retainMs: 24 * 3_600_000,
      batchSize: 2,
      ...options,
      schema: 'ranking',
    });
  }

  it('deletes every row past the horizon in batches and keeps the recent ones', async () => {
    expect(await pruner({}).pruneOnce()).toBe(7);
    expect(await remaining()).toEqual({ old: '0', recent: '3' });
  });

  it('stops a round after its batch budget; the next round continues', async () => {
    const bounded = pruner({ maxBatchesPerRound: 2 });
    expect(await bounded.pruneOnce()).toBe(4);
    expect(await remaining()).toEqual({ old: '3', recent: '3' });
    expect(await bounded.pruneOnce()).toBe(3);
    expect(await remaining()).toEqual({ old: '0', recent: '3' });
  });
});
