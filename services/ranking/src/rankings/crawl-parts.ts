import { EntityManager } from '@mikro-orm/postgresql';
import { CrawlItem, EventData } from '@shelfwatch/contracts';

/**
 * The complete item list of a crawl once every part of it has arrived, else null (the part is kept).
 * Parts of one crawl are serialised on an advisory lock, so two consumers handling two parts at once
 * cannot each miss the other's. Runs in the handler's transaction: a rollback keeps nothing.
 */
export async function assembleCrawl(
  em: EntityManager,
  data: EventData<'crawl.completed'>,
): Promise<CrawlItem[] | null> {
  if (data.parts === 1) {
    return data.items;
  }
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', [data.crawlId]);
  await em.execute(
    'insert into ranking.crawl_parts (crawl_id, part, parts, items) values (?, ?, ?, ?::jsonb) on conflict do nothing',
    [data.crawlId, data.part, data.parts, JSON.stringify(data.items)],
    'run',
  );
  const held = await em.execute<{ items: CrawlItem[] }[]>(
    'select items from ranking.crawl_parts where crawl_id = ? order by part',
    [data.crawlId],
  );
  if (held.length < data.parts) {
    return null;
  }
  await em.execute('delete from ranking.crawl_parts where crawl_id = ?', [data.crawlId], 'run');
  return held.flatMap((row) => row.items).sort((a, b) => a.rank - b.rank);
}
