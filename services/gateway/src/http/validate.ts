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

/** Validates path, query and body against the route's schemas; one 400 naming every bad field. */
export function validateInput(
  route: AnyRoute,
  request: { params: unknown; query: unknown; body: unknown },
): ValidInput {
  const errors: FieldError[] = [];
  const params = check(route.params, request.params, 'path', errors);
  const query = check(route.query, request.query, 'query', errors);
  const body = check(route.body, request.body, 'body', errors);
  if (errors.length > 0) {
    throw GatewayError.validation(errors);
  }
  return { params, query, body };
}
