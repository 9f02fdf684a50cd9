import { ReportingBucket, ReportingExportPage } from '@shelfwatch/contracts';
import { EntityManagerSource, freshEm } from '@shelfwatch/persistence';
import { z } from 'zod';
import { ReportingError } from '../reporting.errors';
import { bucketTable } from './history.query';
import { bucketFloor } from './time-range';

/**
 * The export's columns. Issue 16's columns come last, so that consumers reading columns by position keep working;
 * the listing columns are my product's listing at the bucket's last crawl (empty: not said, or not listed).
 */
export const EXPORT_COLUMNS = [
  'product_id',
  'keyword_id',
  'bucket_start',
  'rank_min',
  'rank_max',
  'rank_last',
  'samples',
  'my_price',
  'lowest_competitor_price',
  'price_source',
  'currency',
  'seller_id',
  'availability',
  'review_count',
  'review_rating',
  'placement',
  'condition',
  'order_fidelity',
] as const;

export const EXPORT_HEADER = `${EXPORT_COLUMNS.join(',')}\n`;

/**
 * A CSV line is at least 130 bytes (two uuids, an instant, 17 commas, and samples, my price, its source, currency and
 * order fidelity, never empty): a chunk reads at most its bytes over this many rows. Only a bound on what is read:
 * were a line shorter, a chunk would hold fewer lines than fit and the next would go on from there.
 */
const MIN_LINE_BYTES = 130;

const cursorSchema = z.tuple([z.uuid(), z.uuid(), z.iso.datetime({ offset: true })]);
type ExportKey = z.infer<typeof cursorSchema>;

export function encodeExportCursor(key: ExportKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeExportCursor(cursor: string): ExportKey {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw ReportingError.invalid('cursor: not a cursor of this export');
  }
}

/**
 * One CSV field (RFC 4180) as Postgres renders it: the marketplace's own words (a seller id, a condition like
 * `New, with tags`) are quoted when they hold a comma, a quote or a line break; absent is empty.
 */
function csvText(column: string): string {
  return `case when ${column} ~ '[",\\r\\n]' then '"' || replace(${column}, '"', '""') || '"' else coalesce(${column}, '') end`;
}

/** A number's field: its text as Postgres writes it (`29.99`, `7`), absent is empty. */
function csvNumber(column: string): string {
  return `coalesce(${column}::text, '')`;
}

/**
 * The SQL of one CSV line (without its line break), in {@link EXPORT_COLUMNS} order: Postgres renders each row as
 * one text, so the service neither builds nor holds an object of 18 fields per row (see {@link exportPage}). The
 * line starts with the row's key (two uuids and an ISO instant, none with a comma), which the cursor is read from.
 */
export const CSV_LINE_SQL = `concat_ws(',', product_id, keyword_id,
    to_char(bucket at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    ${['rank_min', 'rank_max', 'rank_last', 'samples', 'my_price', 'competitor_min'].map(csvNumber).join(', ')},
    ${['price_source', 'currency', 'seller_id', 'availability'].map(csvText).join(', ')},
    ${['review_count', 'review_rating'].map(csvNumber).join(', ')},
    ${['placement', 'condition', 'order_fidelity'].map(csvText).join(', ')}) as line`;

/**
 * One chunk, built by Postgres in one statement: the rows of a keyset range (at most as many as could fit), each
 * line's running byte count, and of those the lines that fit in the chunk's byte budget (always the first), joined.
 * Binds: tenant, …the filters' values, from, to, the range's limit, the byte budget.
 */
export function exportSql(bucket: ReportingBucket, filters: string[]): string {
  return `with page as (
      select line, row_number() over w as n, sum(octet_length(line) + 1) over w as ends_at
        from (select ${CSV_LINE_SQL}, tenant_id, product_id, keyword_id, bucket
                from ${bucketTable(bucket)}
               where tenant_id = ? ${filters.join(' ')}
                 and bucket >= ?::timestamptz and bucket < ?::timestamptz
               order by tenant_id, product_id, keyword_id, bucket
               limit ?) r
      window w as (order by tenant_id, product_id, keyword_id, bucket rows unbounded preceding)
    ), taken as (
      select line, n from page where n = 1 or ends_at <= ?
    )
    select (select count(*) from page)::int as read,
           (select count(*) from taken)::int as taken,
           (select string_agg(line || E'\\n', '' order by n) from taken) as csv,
           (select line from taken order by n desc limit 1) as last`;
}

/** The keyset condition after a cursor (binds tenant, product, keyword, bucket). */
export const EXPORT_AFTER = 'and (tenant_id, product_id, keyword_id, bucket) > (?, ?, ?, ?::timestamptz)';

export interface ExportInput {
  tenantId: string;
  bucket: ReportingBucket;
  productId?: string | undefined;
  keywordId?: string | undefined;
  from: string;
  to: string;
  cursor?: string | undefined;
  maxBytes: number;
}

/** A chunk's last two binds of {@link exportSql}: the rows it reads at most, and the bytes its lines may take. */
export function chunkBounds(maxBytes: number, header: string): { limit: number; budget: number } {
  return { limit: Math.ceil(maxBytes / MIN_LINE_BYTES), budget: maxBytes - Buffer.byteLength(header) };
}

/**
 * One chunk of the export: a keyset range of the primary key `(tenant_id, product_id, keyword_id, bucket)`
 * after the cursor, so every chunk costs the same however deep into the export it is, and neither side
 * ever holds more than one chunk. Postgres renders the lines and joins those that fit ({@link exportSql}), so the
 * service receives one text per chunk: rows read into the service, 18 parsed fields or even one line each, lived
 * across its young generation's collections, were promoted to the old space and grew it by 220–230 MiB over a
 * 1 M-row export before a full collection freed them (bench/REPORTING-REPORT.md).
 */
export async function exportPage(source: EntityManagerSource, input: ExportInput): Promise<ReportingExportPage> {
  const after = input.cursor === undefined ? null : decodeExportCursor(input.cursor);
  const filters: string[] = [];
  const params: (string | number)[] = [input.tenantId];
  if (input.productId !== undefined) {
    filters.push('and product_id = ?');
    params.push(input.productId);
  }
  if (input.keywordId !== undefined) {
    filters.push('and keyword_id = ?');
    params.push(input.keywordId);
  }
  if (after) {
    filters.push(EXPORT_AFTER);
    params.push(input.tenantId, ...after);
  }
  const header = after ? '' : EXPORT_HEADER;
  const { limit, budget } = chunkBounds(input.maxBytes, header);
  const [chunk] = await freshEm(source).execute<ChunkRow[]>(exportSql(input.bucket, filters), [
    ...params,
    bucketFloor(input.from, input.bucket),
    input.to,
    limit,
    budget,
  ]);
  const more = chunk !== undefined && (chunk.taken < chunk.read || chunk.read === limit);
  return {
    csv: header + (chunk?.csv ?? ''),
    rows: chunk?.taken ?? 0,
    nextCursor: more && chunk.last !== null ? cursorAfter(chunk.last) : null,
  };
}

interface ChunkRow {
  read: number;
  taken: number;
  csv: string | null;
  last: string | null;
}

/** The cursor after a line: the line's first three fields are its key (see {@link CSV_LINE_SQL}). */
function cursorAfter(line: string): string {
  const [productId = '', keywordId = '', bucket = ''] = line.split(',', 3);
  return encodeExportCursor([productId, keywordId, bucket]);
}
