import { z } from 'zod';
import { PROBLEMS, PROBLEM_BASE, ProblemSlug } from '../http/problem';
import { AnyRoute } from '../http/route';
import { webhookOperations } from './openapi-webhooks';

type JsonSchema = Record<string, unknown>;

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

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete converted.$schema;
  return converted;
}

/** `/v1/products/:id` → `/v1/products/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) {
    return [];
  }
  const object = jsonSchema(schema, 'input');
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

function problemResponses(route: AnyRoute): Record<string, JsonSchema> {
  const slugs = new Set<ProblemSlug>([
    ...COMMON_PROBLEMS,
    ...(route.access === 'public' ? [] : AUTH_PROBLEMS),
    ...(route.body ? BODY_PROBLEMS : []),
    ...(route.method === 'POST' && route.idempotent !== false ? IDEMPOTENCY_PROBLEMS : []),
    ...(route.params ? (['not-found'] as const) : []),
    ...(route.problems ?? []),
  ]);
  const byStatus = new Map<number, ProblemSlug[]>();
  for (const slug of slugs) {
    const status = PROBLEMS[slug].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), slug]);
  }
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        String(status),
        {
          description: list.map((slug) => `${PROBLEM_BASE}${slug}`).join(', '),
          ...(status === 429 ? { headers: { 'Retry-After': { schema: { type: 'integer' } } } } : {}),
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      ]),
  );
}

function successResponse(route: AnyRoute): JsonSchema {
  if (route.response === null) {
    return { description: 'Done' };
  }
  const type = route.produces ?? 'application/json';
  return { description: 'Success', content: { [type]: { schema: jsonSchema(route.response, 'output') } } };
}

function operation(route: AnyRoute): JsonSchema {
  const idempotent = route.method === 'POST' && route.idempotent !== false;
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    ...(route.access === 'public' ? { security: [] } : {}),
    parameters: [
      ...parameters(route.params, 'path'),
      ...parameters(route.query, 'query'),
      ...(idempotent
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'Same key and same request within 24 h: the first answer is replayed',
              schema: { type: 'string', minLength: 1, maxLength: 255 },
            },
          ]
        : []),
    ],
    ...(route.body
      ? {
          requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } },
        }
      : {}),
    responses: { [String(route.status)]: successResponse(route), ...problemResponses(route) },
  };
}

const problemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['in', 'field', 'message'],
        properties: { in: { type: 'string' }, field: { type: 'string' }, message: { type: 'string' } },
      },
    },
    errorId: { type: 'string', description: 'Present on internal errors; also in the gateway log' },
  },
};

/** `GET /health` (outside the route table: no key, no tenant): the platform's verdict for the dashboard. */
const platformHealthOperation: Record<string, JsonSchema> = {
  get: {
    operationId: 'getPlatformHealth',
    summary: "The platform's health verdict (no component details)",
    tags: ['platform'],
    security: [],
    responses: {
      '200': {
        description: 'healthy or degraded',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['status', 'timestamp'],
              properties: {
                status: { type: 'string', enum: ['healthy', 'degraded', 'unhealthy'] },
                timestamp: { type: 'string', format: 'date-time' },
              },
            },
          },
        },
      },
      '503': {
        description: 'unhealthy, or the health service cannot be asked',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    },
  },
};

/** The OpenAPI 3.1 document of the route table (served at `/docs-json`). */
export function buildOpenApi(routes: readonly AnyRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ShelfWatch API',
      version,
      description:
        'Digital-shelf monitoring. Authenticate with `Authorization: Bearer <API key>`; errors are RFC 9457 problem+json.',
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths: { ...paths, '/health': platformHealthOperation },
    webhooks: webhookOperations(),
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key (sw_live_…) or the admin key' },
      },
      schemas: { Problem: problemSchema },
    },
  };
}
