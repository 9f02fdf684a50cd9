/**
 * The Postgres side of the machine's limits: rows shaped like `ranking.ranking_rows` (12 columns, no
 * index, logged table) written by one connection, as multi-row INSERTs of 1,000 rows and as one COPY.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { copyFrom } from './pg-copy';

const COLUMNS = `tenant_id uuid, keyword_id uuid, crawl_id uuid, crawled_at timestamptz, rank int, external_id text,
  product_id uuid, title text, mall text, price numeric, brand text, excluded boolean`;

async function withTable<T>(url: string, table: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop table if exists ${table}`);
    await client.query(`create table ${table} (${COLUMNS})`);
    const result = await work(client);
    await client.query(`drop table ${table}`);
    return result;
  } finally {
    await client.end();
  }
}

/** Rows per second through multi-row INSERTs of 1,000 rows (8 parameters each), one connection. */
export function rawInsert(url: string, rows: number): Promise<number> {
  return withTable(url, 'bench_insert_rows', async (client) => {
    const tenantId = randomUUID();
    const started = performance.now();
    for (let done = 0; done < rows; done += 1_000) {
      const size = Math.min(1_000, rows - done);
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let i = 0; i < size; i++) {
        const base = i * 8;
        tuples.push(
          `($${base + 1}, $${base + 2}, $${base + 3}, now(), $${base + 4}, $${base + 5}, null, $${base + 6}, $${base + 7}, $${base + 8}, 'brand', false)`,
        );
        values.push(
          tenantId,
          randomUUID(),
          randomUUID(),
          (i % 100) + 1,
          `ext-${done + i}`,
          `a product title ${i}`,
          `mall-${i % 50}`,
          10_000 + i,
        );
      }
      await client.query(`insert into bench_insert_rows values ${tuples.join(', ')}`, values);
    }
    return rows / ((performance.now() - started) / 1_000);
  });
}

/** The same rows as text-format COPY lines, 1,000 per chunk. */
function* copyChunks(rows: number): Generator<Buffer> {
  const tenantId = randomUUID();
  const crawledAt = new Date().toISOString();
  for (let done = 0; done < rows; done += 1_000) {
    const lines: string[] = [];
    for (let i = 0; i < Math.min(1_000, rows - done); i++) {
      lines.push(
        [
          tenantId,
          randomUUID(),
          randomUUID(),
          crawledAt,
          (i % 100) + 1,
          `ext-${done + i}`,
          '\\N',
          `a product title ${i}`,
          `mall-${i % 50}`,
          10_000 + i,
          'brand',
          'f',
        ].join('\t'),
      );
    }
    yield Buffer.from(`${lines.join('\n')}\n`);
  }
}

/** Rows per second through one `COPY … FROM STDIN` of all rows, one connection. */
export function rawCopy(url: string, rows: number): Promise<number> {
  return withTable(url, 'bench_copy_rows', async (client) => {
    const started = performance.now();
    await copyFrom(client, 'copy bench_copy_rows from stdin', copyChunks(rows));
    const seconds = (performance.now() - started) / 1_000;
    const { rows: counted } = await client.query<{ count: string }>('select count(*) from bench_copy_rows');
    if (Number(counted[0]?.count) !== rows) {
      throw new Error(`COPY stored ${counted[0]?.count} rows, expected ${rows}`);
    }
    return rows / seconds;
  });
}
