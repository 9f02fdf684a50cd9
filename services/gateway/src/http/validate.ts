import { controlCharacterIssues } from '@shelfwatch/contracts';
import { z } from 'zod';
import { FieldError, GatewayError } from './gateway.errors';
import { AnyRoute } from './route';

/** Validated parts of a request. */
export interface ValidInput {
  params: unknown;
  query: unknown;
  body: unknown;
}

function check(schema: z.ZodType | undefined, value: unknown, where: FieldError['in'], errors: FieldError[]): unknown {
  if (!schema) {
    return undefined;
  }
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) {
    return result.data;
  }
  for (const issue of result.error.issues) {
    errors.push({ in: where, field: issue.path.join('.') || '(root)', message: issue.message });
  }
  return undefined;
}

/** Refuses control characters anywhere in the input: each string field holding one is named. */
function checkText(value: unknown, where: FieldError['in'], errors: FieldError[]): void {
  for (const issue of controlCharacterIssues(value)) {
    errors.push({ in: where, field: issue.path.join('.') || '(root)', message: issue.message });
  }
}

/**
 * Validates path, query and body against the route's schemas, and refuses control characters in any of
 * them (`controlCharacterIssues` of libs/contracts, also run by every RPC handler); one 400 naming every bad
 * field.
 */
export function validateInput(
  route: AnyRoute,
  request: { params: unknown; query: unknown; body: unknown },
): ValidInput {
  const errors: FieldError[] = [];
  checkText(request.params, 'path', errors);
  checkText(request.query, 'query', errors);
  checkText(request.body, 'body', errors);
  const params = check(route.params, request.params, 'path', errors);
  const query = check(route.query, request.query, 'query', errors);
  const body = check(route.body, request.body, 'body', errors);
  if (errors.length > 0) {
    throw GatewayError.validation(errors);
  }
  return { params, query, body };
}
