import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

const COMPONENT_REF = '#/components/schemas/';
const DEFS_REF = /^#\/\$defs\/(.+)$/;

/** A `$ref` to the named schema of `components.schemas`. */
export function schemaRef(name: string): JsonSchema {
  return { $ref: `${COMPONENT_REF}${name}` };
}

/** `createProduct` → `CreateProduct`. */
export function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function sorted(named: ReadonlyMap<string, JsonSchema>): Record<string, JsonSchema> {
  return Object.fromEntries([...named.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Replaces every `#/$defs/X` reference by the component it was registered as. */
function rewriteRefs(node: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(node)) {
    return node.map((item) => rewriteRefs(item, names));
  }
  if (typeof node !== 'object' || node === null) {
    return node;
  }
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      const local = key === '$ref' && typeof value === 'string' ? DEFS_REF.exec(value) : null;
      return [key, local ? `${COMPONENT_REF}${names.get(local[1] ?? '') ?? local[1]}` : rewriteRefs(value, names)];
    }),
  );
}

/**
 * The named schemas of an OpenAPI document (`components.schemas`), collected while its operations are built:
 * zod schemas with `.meta({ id })` become components of that name wherever they are nested, and every request
 * and response body is registered under a name of its own, so client generators name their types after them.
 * A schema reads differently as input (defaults make fields optional) and as output: the input reading of a
 * component whose output reading is already registered is named `<id>Input`.
 */
export class OpenApiComponents {
  private readonly schemas = new Map<string, JsonSchema>();
  private readonly responses = new Map<string, JsonSchema>();
  private readonly examples = new Map<string, JsonSchema>();

  /** Registers `schema` (read as `io`) under `name`, with the named schemas it holds; answers its `$ref`. */
  add(name: string, schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
    const { $defs, $schema: _dialect, ...root } = converted;
    const names = new Map<string, string>();
    for (const [id, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      names.set(id, this.free(id, io, rewriteRefs(definition, names) as JsonSchema));
    }
    // Each definition was rewritten before its own name was known: rewrite them again with every name.
    for (const [id, registered] of names) {
      this.put(registered, rewriteRefs(($defs as Record<string, JsonSchema>)[id], names) as JsonSchema);
    }
    const body = rewriteRefs(root, names) as JsonSchema;
    const onlyRef = Object.keys(body).length === 1 && typeof body.$ref === 'string';
    if (onlyRef) {
      return body;
    }
    this.put(name, body);
    return schemaRef(name);
  }

  /** Registers a schema written as JSON Schema (the Problem document). */
  addJson(name: string, schema: JsonSchema): JsonSchema {
    this.put(name, schema);
    return schemaRef(name);
  }

  /** Registers a response shared by operations (a problem answer); answers its `$ref`. */
  addResponse(name: string, response: JsonSchema): JsonSchema {
    this.responses.set(name, response);
    return { $ref: `#/components/responses/${name}` };
  }

  /** Registers a named example value; answers its `$ref`. */
  addExample(name: string, summary: string, value: unknown): JsonSchema {
    this.examples.set(name, { summary, value });
    return { $ref: `#/components/examples/${name}` };
  }

  /** Every schema by name, sorted so the committed document diffs line by line. */
  toJson(): Record<string, JsonSchema> {
    return sorted(this.schemas);
  }

  /** The shared responses and examples, sorted by name. */
  sections(): { responses: Record<string, JsonSchema>; examples: Record<string, JsonSchema> } {
    return { responses: sorted(this.responses), examples: sorted(this.examples) };
  }

  /** The name `id` is registered under: itself, or `<id>Input` when the output reading holds it already. */
  private free(id: string, io: 'input' | 'output', schema: JsonSchema): string {
    const existing = this.schemas.get(id);
    if (existing === undefined || isDeepStrictEqual(existing, schema) || io === 'output') {
      return id;
    }
    return `${id}Input`;
  }

  private put(name: string, schema: JsonSchema): void {
    const existing = this.schemas.get(name);
    if (existing !== undefined && !isDeepStrictEqual(existing, schema)) {
      throw new Error(`two different schemas are named ${name} in the OpenAPI document: give one another id`);
    }
    this.schemas.set(name, schema);
  }
}
