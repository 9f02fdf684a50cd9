import { CrawlItem } from '@shelfwatch/contracts';

/** JetStream refuses messages over 1 MB by default; parts stay well under, envelope and headers included. */
export const MAX_PART_BYTES = 512 * 1024;

/**
 * Splits a crawl's items into consecutive parts whose serialized items stay under `maxBytes` each (a
 * single item larger than that still gets a part of its own). Almost every crawl is one part. Pure.
 */
export function splitResults(items: readonly CrawlItem[], maxBytes = MAX_PART_BYTES): CrawlItem[][] {
  const parts: CrawlItem[][] = [];
  let current: CrawlItem[] = [];
  let size = 0;
  for (const item of items) {
    const itemBytes = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current.length > 0 && size + itemBytes > maxBytes) {
      parts.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += itemBytes;
  }
  if (current.length > 0 || parts.length === 0) {
    parts.push(current);
  }
  return parts;
}
