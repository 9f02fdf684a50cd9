import { z } from 'zod';
import { PROBLEMS, PROBLEM_BASE, ProblemSlug } from '../http/problem';
import { AnyRoute } from '../http/route';
import { JsonSchema, OpenApiComponents, pascalCase, schemaRef } from './openapi-components';
import { exampleOf } from './openapi-examples';
import { PROBLEM_SCHEMA, RESPONSE_HEADERS, platformHealthOperation, problemExample } from './openapi-shared';
import { webhookOperations } from './openapi-webhooks';

/** The API's version, `info.version`: a breaking change of the document needs a new one (docs/gateway.md). */
export const API_VERSION = '0.1.0';

/** Problems every route may answer, by who may call it. */
const COMMON_PROBLEMS: ProblemSlug[] = [
  'validation',
  'answer-too-large',
  'internal',
  'service-unavailable',
  'service-timeout',
];
const AUTH_PROBLEMS: ProblemSlug[] = ['unauthorized', 'forbidden', 'rate-limited'];
const BODY_PROBLEMS: ProblemSlug[] = ['malformed-body', 'payload-too-large', 'unsupported-media-type'];
const IDEMPOTENCY_PROBLEMS: ProblemSlug[] = ['idempotency-in-progress', 'idempotency-key-reused'];

/** `/v1/products/:id` → `/v1/products/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) {
    return [];
  }
  const object = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

/** Builds the operations of a route table, registering their bodies in `components`. */
class OperationBuilder {
  constructor(private readonly components: OpenApiComponents) {}

  /** The examples of a body: a value its schema accepts. */
  private example(ref: JsonSchema): unknown {
    const schemas = this.components.toJson();
    return exampleOf(ref, (target) => schemas[target.split('/').pop() ?? ''] ?? {});
  }

  /** Registers every response body first: their output readings own the plain names (see OpenApiComponents). */
  registerResponses(routes: readonly AnyRoute[]): void {
    for (const route of routes) {
      if (route.response !== null && route.produces !== 'text/csv') {
        this.components.add(`${pascalCase(route.operationId)}Response`, route.response, 'output');
      }
    }
  }

  operation(route: AnyRoute): JsonSchema {
    const idempotent = route.method === 'POST' && route.idempotent !== false;
    return {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      ...(route.access === 'public' ? { security: [] } : {}),
      parameters: [
        ...parameters(route.params, 'path'),
        ...parameters(route.query, 'query'),
        ...(idempotent ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
        ...(route.cached ? [{ $ref: '#/components/parameters/CacheControl' }] : []),
      ],
      ...(route.body ? { requestBody: this.requestBody(route, route.body) } : {}),
      responses: { [String(route.status)]: this.success(route), ...problemResponses(route, this.components) },
    };
  }

  private requestBody(route: AnyRoute, body: z.ZodType): JsonSchema {
    const schema = this.components.add(`${pascalCase(route.operationId)}Request`, body, 'input');
    return { required: true, content: { 'application/json': { schema, example: this.example(schema) } } };
  }

  private success(route: AnyRoute): JsonSchema {
    const idempotent = route.method === 'POST' && route.idempotent !== false;
    const headers = {
      ...(route.access === 'public' ? {} : rateLimitHeaders()),
      ...(idempotent ? { 'Idempotent-Replayed': { $ref: '#/components/headers/Idempotent-Replayed' } } : {}),
      ...(route.cached ? { 'Cache-Status': { $ref: '#/components/headers/Cache-Status' } } : {}),
    };
    const withHeaders = Object.keys(headers).length > 0 ? { headers } : {};
    if (route.response === null) {
      return { description: 'Done', ...withHeaders };
    }
    if (route.produces === 'text/csv') {
      const schema = z.toJSONSchema(route.response, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
      delete schema.$schema;
      return { description: 'Success', ...withHeaders, content: { 'text/csv': { schema } } };
    }
    const schema = this.components.add(`${pascalCase(route.operationId)}Response`, route.response, 'output');
    return {
      description: 'Success',
      ...withHeaders,
      content: { 'application/json': { schema, example: this.example(schema) } },
    };
  }
}

function rateLimitHeaders(): Record<string, JsonSchema> {
  return Object.fromEntries(
    ['RateLimit-Policy', 'RateLimit'].map((name) => [name, { $ref: `#/components/headers/${name}` }]),
  );
}

/** The problems a route may answer, by status: each status a shared response named after its problems. */
function problemResponses(route: AnyRoute, components: OpenApiComponents): Record<string, JsonSchema> {
  const slugs = new Set<ProblemSlug>([
    ...COMMON_PROBLEMS,
    ...(route.access === 'public' ? [] : AUTH_PROBLEMS),
    ...(route.body ? BODY_PROBLEMS : []),
    ...(route.method === 'POST' && route.idempotent !== false ? IDEMPOTENCY_PROBLEMS : []),
    ...(route.params ? (['not-found'] as const) : []),
    ...(route.problems ?? []),
  ]);
  const byStatus = new Map<number, ProblemSlug[]>();
  for (const slug of Object.keys(PROBLEMS) as ProblemSlug[]) {
    if (slugs.has(slug)) {
      const status = PROBLEMS[slug].status;
      byStatus.set(status, [...(byStatus.get(status) ?? []), slug]);
    }
  }
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [String(status), problemResponse(status, list, components)]),
  );
}

/** `crawl-already-running` → `CrawlAlreadyRunning`. */
function slugName(slug: string): string {
  return slug.split('-').map(pascalCase).join('');
}

function problemResponse(status: number, slugs: ProblemSlug[], components: OpenApiComponents): JsonSchema {
  const examples = Object.fromEntries(
    slugs.map((slug) => [slug, components.addExample(slugName(slug), PROBLEMS[slug].title, problemExample(slug))]),
  );
  return components.addResponse(`${slugs.map(slugName).join('Or')}Problem`, {
    description: slugs.map((slug) => `${PROBLEM_BASE}${slug}`).join(', '),
    ...(status === 429
      ? { headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' }, ...rateLimitHeaders() } }
      : {}),
    content: { 'application/problem+json': { schema: schemaRef('Problem'), examples } },
  });
}

/**
 * The OpenAPI 3.1 document of the route table (served at `/docs-json`, committed as docs/openapi.json by
 * `npm run openapi`). Each top-level section is built on its own, so that a section can be added beside them.
 */
export function buildOpenApi(routes: readonly AnyRoute[], version: string = API_VERSION): JsonSchema {
  const components = new OpenApiComponents();
  components.addJson('Problem', PROBLEM_SCHEMA);
  const operations = new OperationBuilder(components);
  operations.registerResponses(routes);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const health = platformHealthOperation(components);
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operations.operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ShelfWatch API',
      version,
      description:
        'Digital-shelf monitoring. Authenticate with `Authorization: Bearer <API key>`; errors are RFC 9457 ' +
        "problem+json. Every authenticated answer carries the tenant's `RateLimit-Policy` and `RateLimit` headers " +
        '(draft-ietf-httpapi-ratelimit-headers); a 429 says when to ' +
        'retry in `Retry-After`.',
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths: { ...paths, '/health': health },
    webhooks: webhookOperations(),
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key (sw_live_…) or the admin key' },
      },
      schemas: components.toJson(),
      ...components.sections(),
      headers: RESPONSE_HEADERS,
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Same key and same request within 24 h: the first answer is replayed',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        },
        CacheControl: {
          name: 'Cache-Control',
          in: 'header',
          required: false,
          description:
            'The gateway keeps this answer per tenant for up to a second (API_ANSWER_CACHE_TTL_MS); `no-cache` (or ' +
            '`no-store`, `max-age=0`) asks for one computed now, e.g. right after a change made through another replica',
          schema: { type: 'string', example: 'no-cache' },
        },
      },
    },
  };
}
