import { retentionCeilingSpec } from '@shelfwatch/config';
import { Clock } from '@shelfwatch/messaging';
import { TenantsService } from '../auth/tenants.service';
import { Downstream } from '../downstream/downstream';
import { routeTable } from '../http/api-routes';
import { JsonSchema } from './openapi-components';
import { buildOpenApi } from './openapi';

/** Where `npm run openapi` writes the document and the dashboard's client types, from the repository root. */
export const OPENAPI_FILE = 'docs/openapi.json';
export const CLIENT_TYPES_FILE = 'web/dashboard/src/api.gen.ts';

/**
 * A dependency the document never calls: the route table is read for its shapes only, so any use of it is a
 * bug in the generator, reported by name instead of as a crash inside a handler.
 */
function documentationOnly<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      throw new Error(`${name}.${String(property)} was used while building the OpenAPI document`);
    },
  });
}

/** The document as `npm run openapi` commits it: the route table with the default RETENTION_MAX_DAYS. */
export function committedOpenApi(): JsonSchema {
  return buildOpenApi(
    routeTable({
      downstream: documentationOnly<Downstream>('downstream'),
      tenants: documentationOnly<TenantsService>('tenants'),
      clock: documentationOnly<Clock>('clock'),
      retentionMaxDays: retentionCeilingSpec().retentionMaxDays.parse(undefined, { production: false }),
    }),
  );
}

/** The committed text of a document: two-space JSON and a final newline, so a change diffs line by line. */
export function openApiText(document: JsonSchema): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
