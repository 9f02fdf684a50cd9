import { JsonSchema } from './openapi-components';

const EXAMPLE_UUID = '3f2c8a4e-5b1d-4c7e-9a6f-2d8b0e1c4a7f';
const EXAMPLE_DATE_TIME = '2026-12-04T09:30:00.000Z';
/** Nesting deeper than this is cut (a record of records of …): an example shows the shape, not every level. */
const MAX_DEPTH = 8;

type Resolve = (ref: string) => JsonSchema;

function first(list: unknown): JsonSchema | undefined {
  return Array.isArray(list) && list.length > 0 ? (list[0] as JsonSchema) : undefined;
}

function typeOf(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (Array.isArray(type)) {
    // `["string","null"]`: show the value, not the null.
    return type.find((candidate) => candidate !== 'null') as string | undefined;
  }
  return typeof type === 'string' ? type : undefined;
}

function stringExample(schema: JsonSchema, name: string): string {
  switch (schema.format) {
    case 'uuid':
      return EXAMPLE_UUID;
    case 'date-time':
      return EXAMPLE_DATE_TIME;
    case 'uri':
      return 'https://example.com/hooks/shelfwatch';
    case 'email':
      return 'seller@example.com';
    default:
      break;
  }
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 1;
  return name.padEnd(minLength, 'x') || 'text';
}

/** 1 when the bounds allow it (zod's integers carry the safe-integer bounds), else the nearest bound. */
function numberExample(schema: JsonSchema, integer: boolean): number {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : -Infinity;
  const maximum = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
  const value = Math.min(Math.max(1, minimum), maximum);
  return integer ? Math.ceil(value) : value;
}

/**
 * A value that the JSON Schema accepts, built from it alone (first enum value, first union branch, fixed ids
 * and dates): every operation's request and answer get one, so a reader and a mock server see a real shape.
 */
export function exampleOf(schema: JsonSchema, resolve: Resolve, name = 'value', depth = 0): unknown {
  if (typeof schema.$ref === 'string') {
    return exampleOf(resolve(schema.$ref), resolve, name, depth);
  }
  if (Array.isArray(schema.examples) && schema.examples.length > 0) {
    return schema.examples[0] as unknown;
  }
  if ('const' in schema) {
    return schema.const;
  }
  if ('default' in schema) {
    return schema.default;
  }
  const choice = first(schema.enum);
  if (choice !== undefined) {
    return choice;
  }
  const branch = first(schema.anyOf) ?? first(schema.oneOf);
  if (branch) {
    return exampleOf(branch, resolve, name, depth);
  }
  const allOf = first(schema.allOf);
  if (allOf) {
    return exampleOf(allOf, resolve, name, depth);
  }
  return byType(schema, resolve, name, depth);
}

function byType(schema: JsonSchema, resolve: Resolve, name: string, depth: number): unknown {
  // No type (`{}`, any JSON) reads as an object: it says "some JSON" best.
  const type = typeOf(schema) ?? 'object';
  switch (type) {
    case 'string':
      return stringExample(schema, name);
    case 'integer':
    case 'number':
      return numberExample(schema, type === 'integer');
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const items = schema.items as JsonSchema | undefined;
      return items && depth < MAX_DEPTH ? [exampleOf(items, resolve, name, depth + 1)] : [];
    }
    case 'object':
      return objectExample(schema, resolve, depth);
    default:
      return {};
  }
}

function objectExample(schema: JsonSchema, resolve: Resolve, depth: number): Record<string, unknown> {
  if (depth >= MAX_DEPTH) {
    return {};
  }
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const example = Object.fromEntries(
    Object.entries(properties).map(([key, property]) => [key, exampleOf(property, resolve, key, depth + 1)]),
  );
  const additional = schema.additionalProperties;
  if (Object.keys(properties).length > 0 || typeof additional !== 'object' || additional === null) {
    return example;
  }
  // A record: its required keys (a record keyed by an enum needs them all), else one key its names allow.
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const keys =
    required.length > 0
      ? required
      : [String(exampleOf((schema.propertyNames ?? {}) as JsonSchema, resolve, 'key', depth + 1))];
  return Object.fromEntries(keys.map((key) => [key, exampleOf(additional as JsonSchema, resolve, key, depth + 1)]));
  return example;
}
