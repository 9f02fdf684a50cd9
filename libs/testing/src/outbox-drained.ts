import { EntityManager } from '@mikro-orm/postgresql';
import { freshEm } from '@shelfwatch/persistence';
import { eventually } from './eventually';

/**
 * Waits until `schema`'s outbox holds no unpublished row. The relay marks a row published only once JetStream has
 * acknowledged it, so every event committed before the call is then in its stream: assert "nothing (more) was
 * published" or "exactly one" after this, never before it, nor by polling until a count happens to match.
 */
export async function untilOutboxDrained(
  orm: { em: EntityManager },
  schema: string,
  timeoutMs = 30_000,
): Promise<void> {
  await eventually(async () => {
    const [row] = await freshEm(orm.em).execute<{ count: string }[]>(
      `select count(*) from "${schema}".outbox where published_at is null`,
    );
    if (Number(row?.count) !== 0) {
      throw new Error(`${row?.count} rows of ${schema}.outbox not yet published`);
    }
  }, timeoutMs);
}
