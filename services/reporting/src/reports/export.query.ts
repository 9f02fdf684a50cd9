import { EntityManager } from '@mikro-orm/postgresql';
import { ReportingBucket, ReportingExportPage } from '@shelfwatch/contracts';
import { EntityManagerSource, inTransaction } from '@shelfwatch/persistence';
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

/** A CSV line is at least ~100 bytes: no chunk can hold more rows than its bytes over this. */
const MIN_LINE_BYTES = 100;
/** Rows the server-side cursor hands over at a time: what the service holds of a chunk besides its text. */
export const EXPORT_FETCH_ROWS = 200;

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

interface ExportRow {
  product_id: string;
  keyword_id: string;
  bucket: Date;
  rank_min: number | null;
  rank_max: number | null;
  rank_last: number | null;
  samples: number;
  my_price: string;
  competitor_min: string | null;
  price_source: string;
  currency: string;
  seller_id: string | null;
  availability: string | null;
  review_count: number | null;
  review_rating: string | null;
  placement: string | null;
  condition: string | null;
  order_fidelity: string;
}

/**
 * One CSV field (RFC 4180): the marketplace's own words (a seller id, a condition like `New, with tags`) are quoted
 * when they hold a comma, a quote or a line break; every other field is a uuid, an instant, a number or a code.
 */
function csvCell(cell: string | number | null): string {
  const text = cell === null ? '' : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line, in {@link EXPORT_COLUMNS} order. */
export function csvLine(row: ExportRow): string {
  const cells = [
    row.product_id,
    row.keyword_id,
    new Date(row.bucket).toISOString(),
    row.rank_min,
    row.rank_max,
    row.rank_last,
    row.samples,
    row.my_price,
    row.competitor_min,
    row.price_source,
    row.currency,
    row.seller_id,
    row.availability,
    row.review_count,
    row.review_rating,
    row.placement,
    row.condition,
    row.order_fidelity,
  ];
  return `${cells.map(csvCell).join(',')}\n`;
}

/** One keyset chunk: (tenant, …filters' values, from, to, limit). */
export function exportSql(bucket: ReportingBucket, filters: string[]): string {
  return `select product_id, keyword_id, bucket, rank_min, rank_max, rank_last, samples, my_price, competitor_min,
            price_source, currency, seller_id, availability, review_count, review_rating, placement, condition,
            order_fidelity
       from ${bucketTable(bucket)}
      where tenant_id = ? ${filters.join(' ')}
        and bucket >= ?::timestamptz and bucket < ?::timestamptz
      order by tenant_id, product_id, keyword_id, bucket
      limit ?`;
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

/**
 * One chunk of the export: a keyset range of the primary key `(tenant_id, product_id, keyword_id, bucket)`
 * after the cursor, so every chunk costs the same however deep into the export it is, and neither side
 * ever holds more than one chunk. The range is read through a server-side cursor, {@link EXPORT_FETCH_ROWS}
 * rows at a time, until the chunk is full: the service holds the chunk's text and one slice of rows, and reads
 * at most one slice more than the chunk takes.
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
  const limit = Math.ceil(input.maxBytes / MIN_LINE_BYTES);
  const query = {
    sql: exportSql(input.bucket, filters),
    params: [...params, bucketFloor(input.from, input.bucket), input.to, limit],
  };
  return inTransaction(source, (tx) => readChunk(tx, query, after ? '' : EXPORT_HEADER, input.maxBytes, limit));
}

/** Fills a chunk from a cursor over `query` (inside the caller's transaction). */
async function readChunk(
  tx: EntityManager,
  query: { sql: string; params: (string | number)[] },
  header: string,
  maxBytes: number,
  limit: number,
): Promise<ReportingExportPage> {
  await tx.execute(`declare export_chunk no scroll cursor for ${query.sql}`, query.params, 'run');
  let csv = header;
  let taken = 0;
  let read = 0;
  let last: ExportRow | undefined;
  let full = false;
  while (!full) {
    const rows = await tx.execute<ExportRow[]>(`fetch ${EXPORT_FETCH_ROWS} from export_chunk`);
    read += rows.length;
    for (const row of rows) {
      const line = csvLine(row);
      if (taken > 0 && csv.length + line.length > maxBytes) {
        full = true;
        break;
      }
      csv += line;
      taken += 1;
      last = row;
    }
    if (rows.length < EXPORT_FETCH_ROWS) {
      break;
    }
  }
  await tx.execute('close export_chunk', [], 'run');
  const more = full || read === limit;
  return {
    csv,
    rows: taken,
    nextCursor:
      more && last ? encodeExportCursor([last.product_id, last.keyword_id, new Date(last.bucket).toISOString()]) : null,
  };
}
