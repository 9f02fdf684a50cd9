import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@shelfwatch/messaging';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService, Principal } from '../auth/auth.service';
import { AnswerCache, CacheUse, wantsFresh } from '../caching/answer-cache';
import { OPERATOR_BUCKET } from '../limits/redis-bucket.store';
import { IdempotencyStore, StoredAnswer, requestHash } from '../idempotency/idempotency.store';
import { rateLimitHeaders } from '../limits/rate-limit-headers';
import { TenantLimits } from '../limits/tenant-limits';
import { GatewayError, GatewayErrorCode } from './gateway.errors';
import { knownProblem } from './problem.mapper';
import { AnyRoute, RouteAnswer } from './route';
import { validateInput } from './validate';

/** Scope of the operator's idempotency keys (tenants use their id). */
const ADMIN_SCOPE = '00000000-0000-0000-0000-000000000000';
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Marks a stored body whose secrets were dropped: its replay cannot be the first answer. */
const WITHHELD = '_secretsWithheld';

/** The body to store for a replay: the route's secret fields are dropped (shown once, never stored). */
function withoutSecrets(route: AnyRoute, body: unknown): unknown {
  const fields = route.secretFields ?? [];
  if (body === null || typeof body !== 'object') {
    return body;
  }
  const entries = Object.entries(body);
  const withheld = entries.filter(([field]) => fields.includes(field)).map(([field]) => field);
  if (withheld.length === 0) {
    return body;
  }
  return { ...Object.fromEntries(entries.filter(([field]) => !fields.includes(field))), [WITHHELD]: withheld };
}

/** A stored answer sent again; a success whose secret was withheld becomes 409 `secret-shown-once`. */
function replayOf(key: string, answer: StoredAnswer): Outcome {
  const body = (answer.body ?? {}) as Record<string, unknown>;
  const withheld = body[WITHHELD];
  if (Array.isArray(withheld)) {
    throw new GatewayError(
      GatewayErrorCode.SecretShownOnce,
      `the request with key ${key} succeeded (created ${String(body.id)}), but its ${withheld.join(', ')} ` +
        'was shown once, in that answer, and is not stored: rotate or recreate it if it was lost',
    );
  }
  return { status: answer.status, body: answer.body, replayed: true };
}

/** A success to send. */
export interface Outcome {
  status: number;
  /** The answer; a `cached` route's JSON as the bytes to send. */
  body: unknown;
  replayed: boolean;
  /** How a `cached` route's answer was found. */
  cache?: CacheUse;
}

/**
 * Runs one API request through its steps:
 * 1. authenticate the key (401; 429 when the client address sent too many unauthenticated requests) and check
 *    the route's access (403);
 * 2. take a token from the tenant's bucket (429 with Retry-After), setting `RateLimit-Policy` and `RateLimit`;
 * 3. validate path, query and body (400 naming every field);
 * 4. on a POST with `Idempotency-Key`, claim the key or replay the stored answer (409/422 on misuse);
 * 5. call the route's handler, and store its answer for the key; a `cached` GET answers from the
 *    {@link AnswerCache} instead, and a tenant's or the operator's change drops what it kept (answer-cache.ts).
 */
@Injectable()
export class RouteRunner {
  constructor(
    private readonly auth: AuthService,
    private readonly idempotency: IdempotencyStore,
    private readonly limits: TenantLimits,
    private readonly answers: AnswerCache,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(route: AnyRoute, request: FastifyRequest, reply: FastifyReply): Promise<Outcome> {
    const principal = route.access === 'public' ? null : await this.authorize(route, request);
    const changes = principal ? await this.limit(principal, reply) : undefined;
    const input = validateInput(route, request);
    const tenantId = principal?.kind === 'tenant' ? principal.tenantId : '';
    const call = async (): Promise<Outcome> => {
      const result = await route.handle({ tenantId, ...input });
      return result instanceof RouteAnswer
        ? { status: result.status, body: result.body, replayed: false }
        : { status: route.status, body: result, replayed: false };
    };
    if (route.method === 'GET') {
      return route.cached && this.answers.enabled && principal?.kind === 'tenant'
        ? this.cachedAnswer(route, principal.tenantId, changes, request, input, call)
        : call();
    }
    // A change, whatever its outcome (a timeout may still have done it): what this replica kept of the tenant is
    // dropped, and the change counted where every replica reads it, before the answer is sent, so the tenant's next
    // read through any replica sees it (answer-cache.ts).
    try {
      return await this.change(route, request, principal, input, call);
    } finally {
      if (principal) {
        this.answers.changed(principal.kind === 'tenant' ? principal.tenantId : null);
        await this.limits.limiter.noteChange(bucketOf(principal));
      }
    }
  }

  /** A POST, PUT, PATCH or DELETE: once per `Idempotency-Key` when one is given. */
  private async change(
    route: AnyRoute,
    request: FastifyRequest,
    principal: Principal | null,
    input: { params: unknown; body: unknown },
    call: () => Promise<Outcome>,
  ): Promise<Outcome> {
    const key = this.idempotencyKey(route, request);
    if (key === null || !principal) {
      return call();
    }
    const scope = principal.kind === 'tenant' ? principal.tenantId : ADMIN_SCOPE;
    return this.once(
      route,
      scope,
      key,
      requestHash(route.method, route.path, { params: input.params, body: input.body }),
      call,
    );
  }

  /** The tenant's answer to the request from the {@link AnswerCache}, or fresh when the request asks. */
  private async cachedAnswer(
    route: AnyRoute,
    tenantId: string,
    changes: string | undefined,
    request: FastifyRequest,
    input: { params: unknown; query: unknown },
    call: () => Promise<Outcome>,
  ): Promise<Outcome> {
    const text = async (): Promise<string> => JSON.stringify((await call()).body);
    if (wantsFresh(request.headers['cache-control'])) {
      return { status: route.status, body: Buffer.from(await text()), replayed: false, cache: 'bypass' };
    }
    // Keyed by the validated input, not the URL: the order of its parameters or ones the route ignores do not
    // make another entry.
    const question = `${route.operationId} ${JSON.stringify([input.params, input.query])}`;
    const { body, use } = await this.answers.answer(tenantId, question, text, changes);
    return { status: route.status, body, replayed: false, cache: use };
  }

  private async authorize(route: AnyRoute, request: FastifyRequest): Promise<Principal> {
    // request.ip honours X-Forwarded-For only from the proxies of TRUSTED_PROXIES.
    const principal = await this.auth.authenticate(request.headers.authorization, request.ip);
    if (route.access === 'admin' && principal.kind !== 'admin') {
      throw GatewayError.forbidden('this route needs the operator admin key');
    }
    if (route.access === 'tenant' && principal.kind !== 'tenant') {
      throw GatewayError.forbidden('this route needs a tenant API key; the admin key owns no data');
    }
    return principal;
  }

  /**
   * Takes a token of the principal's bucket (429 when there is none); answers the changes stamp the shared store
   * read with it, if any.
   */
  private async limit(principal: Principal, reply: FastifyReply): Promise<string | undefined> {
    const decision = await this.limits.limiter.take(bucketOf(principal), this.clock.now().getTime());
    reply.headers(rateLimitHeaders(decision));
    if (!decision.allowed) {
      throw new GatewayError(GatewayErrorCode.RateLimited, 'rate limit of this tenant exceeded', {
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
    return decision.changes;
  }

  private idempotencyKey(route: AnyRoute, request: FastifyRequest): string | null {
    const header = request.headers['idempotency-key'];
    if (route.method !== 'POST' || route.idempotent === false || header === undefined) {
      return null;
    }
    if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
      throw GatewayError.validation([
        { in: 'header', field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
      ]);
    }
    return header;
  }

  private async once(
    route: AnyRoute,
    scope: string,
    key: string,
    hash: string,
    call: () => Promise<Outcome>,
  ): Promise<Outcome> {
    const claim = await this.idempotency.claim(scope, key, hash);
    switch (claim.kind) {
      case 'replay':
        return replayOf(key, claim.answer);
      case 'in_progress':
        throw new GatewayError(GatewayErrorCode.IdempotencyInProgress, `a request with key ${key} is still running`);
      case 'mismatch':
        throw new GatewayError(
          GatewayErrorCode.IdempotencyMismatch,
          `key ${key} was already used with a different request; use a new key`,
        );
      case 'new':
        return this.firstRun(route, scope, key, call);
      default: {
        const unhandled: never = claim;
        throw new Error(`unhandled claim ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /**
   * Stores the answer of the first run, without its secrets. A refusal (4xx) is stored too, and so is a
   * timeout (504: the service may still do the work, so a retry must not run it again); our other failures
   * (5xx, 429) free the key for a retry.
   */
  private async firstRun(route: AnyRoute, scope: string, key: string, call: () => Promise<Outcome>): Promise<Outcome> {
    let outcome: Outcome;
    try {
      outcome = await call();
    } catch (error) {
      const refusal = knownProblem(error);
      const status = refusal?.problem.status ?? 500;
      await ((status < 500 && status !== 429) || status === 504
        ? this.idempotency.complete(scope, key, { status, body: refusal?.problem })
        : this.idempotency.release(scope, key));
      throw error;
    }
    await this.idempotency.complete(scope, key, { status: outcome.status, body: withoutSecrets(route, outcome.body) });
    return outcome;
  }
}

/** One bucket per tenant, whichever of its keys is used; the operator's admin key has a bucket of its own. */
function bucketOf(principal: Principal): string {
  return principal.kind === 'tenant' ? `tenant:${principal.tenantId}` : OPERATOR_BUCKET;
}
