import { HEALTH_RPC, rpcAnswerSchema } from '@shelfwatch/contracts';
import { PROBLEMS, ProblemSlug, problem } from '../http/problem';
import { JsonSchema, OpenApiComponents } from './openapi-components';

/** The RFC 9457 problem document of every error answer (`application/problem+json`). */
export const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'An RFC 9457 problem; `type` is https://shelfwatch.dev/problems/<slug> (slugs: docs/gateway.md)',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'What went wrong with this request' },
    instance: { type: 'string', description: 'The path of the request' },
    errors: {
      type: 'array',
      description: 'Every invalid field of a validation problem',
      items: {
        type: 'object',
        required: ['in', 'field', 'message'],
        properties: {
          in: { type: 'string', enum: ['path', 'query', 'body', 'header'] },
          field: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
    errorId: { type: 'string', description: 'Present on internal errors; also in the gateway log' },
  },
};

const integerHeader = (description: string): JsonSchema => ({
  description,
  schema: { type: 'integer', minimum: 0 },
});

/**
 * The headers the gateway sets (route-runner.ts, api.plugin.ts): the tenant's token bucket on every
 * authenticated answer (draft-ietf-httpapi-ratelimit-headers), `Retry-After` on a 429, `Idempotent-Replayed` on
 * a replayed answer, `Cache-Status` on the answers of the routes the gateway keeps (caching/answer-cache.ts).
 */
export const RESPONSE_HEADERS: Record<string, JsonSchema> = {
  'RateLimit-Policy': {
    description:
      'The quota policy of the tenant (draft-ietf-httpapi-ratelimit-headers): `q` requests at once (its bucket), ' +
      'refilled from empty in `w` seconds, so `q` per `w` seconds sustained',
    schema: { type: 'string', example: '"tenant";q=100;w=10' },
  },
  RateLimit: {
    description:
      'What is left of the quota (draft-ietf-httpapi-ratelimit-headers): `r` requests may still be sent now, ' +
      'the bucket is full again in `t` seconds',
    schema: { type: 'string', example: '"tenant";r=42;t=6' },
  },
  'Retry-After': integerHeader('Seconds to wait before the next request would be accepted'),
  'Idempotent-Replayed': {
    description: 'true when this is the stored answer of an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
  'Cache-Status': {
    description:
      'How the gateway found this answer (RFC 9211): `hit` (kept, at most a second old), `fwd=uri-miss` (computed ' +
      'for this request), `fwd=uri-miss; collapsed` (joined a computation under way), `fwd=request` (computed ' +
      'because the request asked with Cache-Control)',
    schema: { type: 'string', example: 'shelfwatch-gateway; hit' },
  },
};

/** The problem a status answers with, as an example (the first slug of those it stands for). */
export function problemExample(slug: ProblemSlug): JsonSchema {
  const example = problem(slug, `an example of ${PROBLEMS[slug].title.toLowerCase()}`, { instance: '/v1/products' });
  return slug === 'validation'
    ? { ...example, errors: [{ in: 'query', field: 'limit', message: 'Too big: expected number to be <=100' }] }
    : { ...example };
}

/** `GET /health` (outside the route table: no key, no tenant): the platform's verdict for the dashboard. */
export function platformHealthOperation(components: OpenApiComponents): Record<string, JsonSchema> {
  const schema = components.add('PlatformHealth', rpcAnswerSchema(HEALTH_RPC.summary), 'output');
  return {
    get: {
      operationId: 'getPlatformHealth',
      summary: "The platform's health verdict (no component details)",
      tags: ['platform'],
      security: [],
      responses: {
        '200': {
          description: 'healthy or degraded',
          content: {
            'application/json': { schema, example: { status: 'healthy', timestamp: '2026-12-04T09:30:00.000Z' } },
          },
        },
        '503': {
          description: 'unhealthy (the verdict), or the health service cannot be asked (a problem)',
          content: {
            'application/json': { schema, example: { status: 'unhealthy', timestamp: '2026-12-04T09:30:00.000Z' } },
            'application/problem+json': {
              schema: { $ref: '#/components/schemas/Problem' },
              example: {
                type: 'https://shelfwatch.dev/problems/health-unknown',
                title: 'The platform health cannot be read now',
                status: 503,
                detail: 'the health service did not answer',
              },
            },
          },
        },
      },
    },
  };
}
