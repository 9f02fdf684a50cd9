import { JsonSchema } from './openapi-components';

type Side = 'request' | 'response';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function record(value: unknown): JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonSchema) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** One document's schemas with their `$ref`s followed. */
class Resolver {
  constructor(private readonly document: JsonSchema) {}

  resolve(schema: unknown, seen = new Set<string>()): JsonSchema {
    const node = record(schema);
    const ref = node.$ref;
    if (typeof ref !== 'string' || seen.has(ref)) {
      return node;
    }
    seen.add(ref);
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((at, part) => record(at)[part], this.document);
    return this.resolve(target, seen);
  }
}

/**
 * The changes from `before` to `after` that break a client written against `before`: a removed path or
 * operation, a removed success response or response field, a response field that may now be absent, a new
 * required request field or parameter, and an enum of a request that accepts fewer values. Each is one sentence
 * naming where; none means `after` is safe to ship under the same major version.
 */
export function breakingChanges(before: JsonSchema, after: JsonSchema): string[] {
  const differ = new Differ(new Resolver(before), new Resolver(after));
  const oldPaths = record(before.paths);
  const newPaths = record(after.paths);
  for (const [path, item] of Object.entries(oldPaths)) {
    if (!(path in newPaths)) {
      differ.found(`removed path ${path}`);
      continue;
    }
    for (const method of METHODS) {
      const operation = record(item)[method];
      if (operation === undefined) {
        continue;
      }
      const next = record(newPaths[path])[method];
      if (next === undefined) {
        differ.found(`removed operation ${method.toUpperCase()} ${path}`);
        continue;
      }
      differ.operation(`${method.toUpperCase()} ${path}`, record(operation), record(next));
    }
  }
  return differ.changes;
}

class Differ {
  readonly changes: string[] = [];

  constructor(
    private readonly before: Resolver,
    private readonly after: Resolver,
  ) {}

  found(change: string): void {
    this.changes.push(change);
  }

  operation(where: string, before: JsonSchema, after: JsonSchema): void {
    this.parameters(where, list(before.parameters), list(after.parameters));
    const oldBody = this.before.resolve(before.requestBody);
    const newBody = this.after.resolve(after.requestBody);
    if (newBody.required === true && oldBody.required !== true) {
      this.found(`${where}: the request body became required`);
    }
    this.content(`${where} request body`, oldBody, newBody, 'request');
    const oldResponses = record(before.responses);
    const newResponses = record(after.responses);
    for (const status of Object.keys(oldResponses).filter((code) => code.startsWith('2'))) {
      if (!(status in newResponses)) {
        this.found(`${where}: removed response ${status}`);
        continue;
      }
      const oldResponse = this.before.resolve(oldResponses[status]);
      const newResponse = this.after.resolve(newResponses[status]);
      this.content(`${where} response ${status}`, oldResponse, newResponse, 'response');
    }
  }

  private parameters(where: string, before: unknown[], after: unknown[]): void {
    const key = (parameter: JsonSchema): string => `${String(parameter.in)} ${String(parameter.name)}`;
    const old = new Map(before.map((p) => this.before.resolve(p)).map((p) => [key(p), p]));
    for (const parameter of after.map((p) => this.after.resolve(p))) {
      const previous = old.get(key(parameter));
      if (parameter.required === true && previous?.required !== true) {
        this.found(`${where}: new required ${String(parameter.in)} parameter ${String(parameter.name)}`);
      }
      if (previous) {
        this.schema(`${where} ${key(parameter)}`, previous.schema, parameter.schema, 'request', 0);
      }
    }
  }

  private content(where: string, before: JsonSchema, after: JsonSchema, side: Side): void {
    const newContent = record(after.content);
    for (const [type, media] of Object.entries(record(before.content))) {
      if (!(type in newContent)) {
        this.found(`${where}: no longer ${type}`);
        continue;
      }
      this.schema(where, record(media).schema, record(newContent[type]).schema, side, 0);
    }
  }

  /** Compares two schemas of the same place, nested fields included (depth-limited: schemas may recurse). */
  private schema(where: string, beforeSchema: unknown, afterSchema: unknown, side: Side, depth: number): void {
    if (depth > 12) {
      return;
    }
    const before = this.before.resolve(beforeSchema);
    const after = this.after.resolve(afterSchema);
    this.enumeration(where, before, after, side);
    this.properties(where, before, after, side, depth);
    if (before.items !== undefined && after.items !== undefined) {
      this.schema(`${where}[]`, before.items, after.items, side, depth + 1);
    }
    for (const union of ['anyOf', 'oneOf'] as const) {
      const oldBranches = list(before[union]);
      const newBranches = list(after[union]);
      if (side === 'request' && newBranches.length < oldBranches.length && oldBranches.length > 0) {
        this.found(`${where}: accepts ${oldBranches.length - newBranches.length} shape(s) fewer (${union})`);
      }
      oldBranches.slice(0, newBranches.length).forEach((branch, index) => {
        this.schema(`${where}<${union}[${index}]>`, branch, newBranches[index], side, depth + 1);
      });
    }
  }

  private enumeration(where: string, before: JsonSchema, after: JsonSchema, side: Side): void {
    if (side !== 'request' || !Array.isArray(before.enum) || !Array.isArray(after.enum)) {
      return;
    }
    const accepted = new Set(after.enum as unknown[]);
    const dropped = (before.enum as unknown[]).filter((value) => !accepted.has(value));
    if (dropped.length > 0) {
      this.found(`${where}: enum no longer accepts ${dropped.map((value) => JSON.stringify(value)).join(', ')}`);
    }
  }

  private properties(where: string, before: JsonSchema, after: JsonSchema, side: Side, depth: number): void {
    const oldProperties = record(before.properties);
    const newProperties = record(after.properties);
    const oldRequired = new Set(list(before.required));
    const newRequired = new Set(list(after.required));
    for (const [name, property] of Object.entries(oldProperties)) {
      if (!(name in newProperties)) {
        if (side === 'response') {
          this.found(`${where}: removed field ${name}`);
        }
        continue;
      }
      if (side === 'response' && oldRequired.has(name) && !newRequired.has(name)) {
        this.found(`${where}: field ${name} may now be absent`);
      }
      this.schema(`${where}.${name}`, property, newProperties[name], side, depth + 1);
    }
    if (side === 'request') {
      for (const name of newRequired) {
        if (!oldRequired.has(name)) {
          this.found(`${where}: new required field ${String(name)}`);
        }
      }
    }
  }
}
