import { z } from 'zod';
import { ProblemSlug } from './problem';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route: a tenant's key, the operator's admin key, or anyone. */
export type Access = 'tenant' | 'admin' | 'public';

/** What a route handler receives: validated input and the caller's tenant (from the key, never the request). */
export interface RouteInput<P, Q, B> {
  /** The calling tenant (from its API key); empty for admin routes. */
  tenantId: string;
  params: P;
  query: Q;
  body: B;
}

/** A handler's answer when it chooses the status (e.g. 200 instead of 201 for an existing link). */
export class RouteAnswer<R> {
  constructor(
    readonly status: number,
    readonly body: R,
  ) {}
}

/**
 * One REST route: its HTTP shape (zod schemas, from which validation AND the OpenAPI document are derived)
 * and a handler that maps the input to one call of a service (docs/architecture.md, "Conventions": thin transports).
 */
export interface RouteDef<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: HttpMethod;
  /** Fastify path syntax (`/v1/products/:id`). */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Status of a success; 204 sends no body. */
  status: number;
  /** Shape of a success body (OpenAPI only); null with 204. */
  response: z.ZodType | null;
  /** Problems this route documents besides the ones every route may answer. */
  problems?: ProblemSlug[];
  /** `text/csv` routes answer the handler's string as is. */
  produces?: 'application/json' | 'text/csv';
  /**
   * A GET whose JSON answer this replica keeps per tenant and URL for `API_ANSWER_CACHE_TTL_MS`
   * (caching/answer-cache.ts): for reads that cost a service and Postgres most and that a seller's tools poll.
   */
  cached?: boolean;
  /** POST routes honour `Idempotency-Key` unless this is false. */
  idempotent?: boolean;
  /**
   * Fields of a success body that hold a secret shown once (a new API key, a webhook signing secret). They
   * are never stored with the idempotency record; a replay answers 409 `secret-shown-once` instead.
   */
  secretFields?: readonly string[];
  handle(input: RouteInput<P, Q, B>): Promise<R | RouteAnswer<R>>;
}

/** A route of any input and answer types (method bivariance lets typed routes in). */
export type AnyRoute = RouteDef;

/** Declares a route with its types inferred from its schemas. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined, R = unknown>(
  def: RouteDef<P, Q, B, R>,
): AnyRoute {
  return def;
}

/** Wraps a body with a chosen status. */
export function answerWith<R>(status: number, body: R): RouteAnswer<R> {
  return new RouteAnswer(status, body);
}
