import { EntityManager, EntityName, FilterQuery, OrderDefinition } from '@mikro-orm/postgresql';

/** What to page through: `select <columns> from <from> where <where>`, keyed by a UUIDv7 column. */
export interface KeysetQuery {
  columns: string;
  from: string;
  /** The filter, with `?` placeholders for `params`; the COUNT counts the same rows. */
  where: string;
  params: readonly unknown[];
  /** Column ordering the pages (UUIDv7: key order is creation order); the cursor's id is a value of it. */
  key: string;
  /** `asc`: oldest first, rows after the cursor; `desc`: newest first, rows before it. */
  order: 'asc' | 'desc';
}

/** Which page: `limit` items after the cursor's id (`decodeCursor` of the request's cursor). */
export interface KeysetPageInput {
  limit: number;
  after?: string;
  /** Run the COUNT and the page at once, on two pooled connections, rather than one after the other. */
  parallel?: boolean;
}

/**
 * One page of `limit + 1` rows after the cursor's key, in `order` (for `toPage` in `@shelfwatch/contracts`,
 * which keeps `limit` and makes the extra row the sign of a next page), and the number of rows matching in
 * all (a COUNT, never loaded rows): two statements whatever the page.
 */
export async function keysetPage<Row>(
  em: EntityManager,
  query: KeysetQuery,
  page: KeysetPageInput,
): Promise<{ rows: Row[]; total: number }> {
  const count = (): Promise<{ total: string }[]> =>
    em.execute<{ total: string }[]>(`select count(*) as total from ${query.from} where ${query.where}`, [
      ...query.params,
    ]);
  const after = page.after === undefined ? '' : ` and ${query.key} ${query.order === 'asc' ? '>' : '<'} ?`;
  const select = (): Promise<Row[]> =>
    em.execute<Row[]>(
      `select ${query.columns} from ${query.from} where ${query.where}${after} order by ${query.key} ${query.order} limit ?`,
      [...query.params, ...(page.after === undefined ? [] : [page.after]), page.limit + 1],
    );
  const [counted, rows] = page.parallel ? await Promise.all([count(), select()]) : [await count(), await select()];
  return { rows, total: Number(counted[0]?.total ?? 0) };
}

/**
 * The same page through MikroORM entities keyed by a UUIDv7 `id`, oldest first: `limit + 1` entities after the
 * cursor's id that match `where`, and a COUNT of all that match it (`em.count`, never loaded rows). For lists a
 * service reads as entities (ranking's keywords and exclusions); the COUNT and the page run at once.
 */
export async function entityKeysetPage<Entity extends { id: string }>(
  em: EntityManager,
  entity: EntityName<Entity>,
  where: FilterQuery<Entity>,
  page: Omit<KeysetPageInput, 'parallel'>,
): Promise<{ rows: Entity[]; total: number }> {
  const after = (page.after === undefined ? {} : { id: { $gt: page.after } }) as FilterQuery<Entity>;
  const [rows, total] = await Promise.all([
    em.find(entity, { $and: [where, after] } as FilterQuery<Entity>, {
      orderBy: { id: 'asc' } as OrderDefinition<Entity>,
      limit: page.limit + 1,
    }),
    em.count(entity, where),
  ]);
  return { rows, total };
}
