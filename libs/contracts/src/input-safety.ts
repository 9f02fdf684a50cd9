import { z } from 'zod';
import { MARKETPLACES } from './marketplaces';

/** A marketplace id as a caller names it (any case, trimmed); an unknown one is refused with the list of known ones. */
export const marketplaceId = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(MARKETPLACES, { error: `must be one of the known marketplaces: ${MARKETPLACES.join(', ')}` }));

/** C0 and C1 control characters (NUL, tab, line breaks, escape, DEL, …): no name, keyword or URL holds one. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** A string field (or object key) that holds a control character, by its path in the input. */
export interface ControlCharacterIssue {
  path: (string | number)[];
  message: string;
}

const MESSAGE = 'must not contain control characters (NUL, tab, line breaks, …)';

/**
 * Every string in `value` (fields, array items and object keys, at any depth) that holds a control
 * character. The gateway runs it on each request's path, query and body, and every RPC handler on its
 * payload (`parseRequest`), so no entry point stores such text; a crawled name may still hold one, but it
 * never comes from a caller.
 */
export function controlCharacterIssues(value: unknown, path: (string | number)[] = []): ControlCharacterIssue[] {
  if (typeof value === 'string') {
    return CONTROL_CHARACTER.test(value) ? [{ path, message: MESSAGE }] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item: unknown, index) => controlCharacterIssues(item, [...path, index]));
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      CONTROL_CHARACTER.test(key)
        ? [{ path: [...path, key], message: MESSAGE }]
        : controlCharacterIssues(item, [...path, key]),
    );
  }
  return [];
}
