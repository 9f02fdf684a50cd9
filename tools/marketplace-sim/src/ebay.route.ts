import { setTimeout as sleep } from 'node:timers/promises';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EbayError, ebayError, ebayErrorOfFault } from './ebay-format';
import { EBAY_MAX_DEPTH, EbaySearchParams, ebayGroundTruth, ebaySearchPage, ebaySiteOf } from './ebay-ground-truth';
import { EbayTokenStore } from './ebay-tokens';
import { answer } from './control.routes';
import { ControlInputError } from './faults';
import { SimulatorControl } from './simulator-control';

/** The scope an application token must ask for to call the Browse API. */
const PUBLIC_SCOPE = 'https://api.ebay.com/oauth/api_scope';
const UNAVAILABLE_HTML = '<html><body><h1>503 Service Unavailable</h1></body></html>';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function first(raw: unknown): string | undefined {
  const value: unknown = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
  return typeof value === 'string' ? value : undefined;
}

/** The client id and secret of a `Basic` authorization header. */
function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  const decoded = match?.[1] === undefined ? '' : Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function integerIn(raw: string | undefined, fallback: number, min: number, max: number): number | null {
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  return value >= min && value <= max ? value : null;
}

/** Validates a search with eBay's rules: `q` required, `limit` 1–200 (default 50), `offset` + `limit` ≤ 10,000. */
export function parseEbaySearch(
  query: Record<string, unknown>,
  marketplaceId: string | undefined,
): { ok: true; params: EbaySearchParams } | { ok: false; error: EbayError } {
  const q = first(query.q);
  if (q === undefined || q.trim() === '') {
    return { ok: false, error: { kind: 'bad_parameter', name: 'q', value: q ?? '' } };
  }
  const limit = integerIn(first(query.limit), 50, 1, 200);
  if (limit === null) {
    return { ok: false, error: { kind: 'bad_parameter', name: 'limit', value: first(query.limit) ?? '' } };
  }
  const offset = integerIn(first(query.offset), 0, 0, EBAY_MAX_DEPTH - limit);
  if (offset === null) {
    return { ok: false, error: { kind: 'bad_parameter', name: 'offset', value: first(query.offset) ?? '' } };
  }
  const site = ebaySiteOf(marketplaceId);
  if (site === undefined) {
    return { ok: false, error: { kind: 'bad_parameter', name: 'X-EBAY-C-MARKETPLACE-ID', value: marketplaceId ?? '' } };
  }
  return { ok: true, params: { q, limit, offset, site } };
}

/** An outage answers every eBay route the way it answers Naver's: a reset socket or a load balancer's 503. */
function outage(control: SimulatorControl, request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  const mode = control.faults().outage;
  if (mode === false) {
    return undefined;
  }
  if (mode === 'reset') {
    reply.hijack();
    request.raw.socket.destroy();
    return reply;
  }
  return reply.code(503).type('text/html; charset=utf-8').send(UNAVAILABLE_HTML);
}

/** `POST /identity/v1/oauth2/token`: the client-credentials grant, for any non-empty pair no fault rejects. */
function grantToken(control: SimulatorControl, tokens: EbayTokenStore, request: FastifyRequest, reply: FastifyReply) {
  const down = outage(control, request, reply);
  if (down !== undefined) {
    return down;
  }
  const client = basicCredentials(header(request, 'authorization'));
  if (
    client === undefined ||
    client.id === '' ||
    client.secret === '' ||
    control.faults().rejectedClientIds.includes(client.id)
  ) {
    return reply.code(401).send({ error: 'invalid_client', error_description: 'client authentication failed' });
  }
  const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
  if (form.get('grant_type') !== 'client_credentials') {
    return reply.code(400).send({
      error: 'unsupported_grant_type',
      error_description: 'grant type in request is not supported by the authorization server',
    });
  }
  if (!(form.get('scope') ?? '').split(' ').includes(PUBLIC_SCOPE)) {
    return reply.code(400).send({
      error: 'invalid_scope',
      error_description:
        'The requested scope is invalid, unknown, malformed, or exceeds the scope granted to the client',
    });
  }
  return reply.send(tokens.issue(client.id));
}

/** `GET /buy/browse/v1/item_summary/search`: counted and logged like Naver's searches, under the token's client id. */
async function search(control: SimulatorControl, tokens: EbayTokenStore, request: FastifyRequest, reply: FastifyReply) {
  const atMs = control.wallMs();
  const query = (request.query ?? {}) as Record<string, unknown>;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header(request, 'authorization') ?? '')?.[1];
  const clientId = tokens.clientOf(bearer);
  const record = (status: number, errorCode: string | null): void =>
    control.record(clientId, first(query.q), status, { atMs, errorCode });
  const fail = (error: EbayError): FastifyReply => {
    const answer = ebayError(error);
    record(answer.status, String(answer.body.errors[0]?.errorId ?? ''));
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  };
  const latency = control.faults().latencyMs;
  if (latency > 0) {
    await sleep(latency);
  }
  const down = outage(control, request, reply);
  if (down !== undefined) {
    record(control.faults().outage === 'reset' ? 0 : 503, null);
    return down;
  }
  if (clientId === undefined) {
    return fail({ kind: 'invalid_token' });
  }
  const admission = control.admit(clientId, bearer);
  if (admission.kind === 'error') {
    return fail(ebayErrorOfFault(admission.error));
  }
  const parsed = parseEbaySearch(query, header(request, 'x-ebay-c-marketplace-id'));
  if (!parsed.ok) {
    return fail(parsed.error);
  }
  record(200, null);
  return reply.send(ebaySearchPage(control, parsed.params, `${request.protocol}://${request.host}`));
}

/** The `/_sim/ebay` controls: token counts, expiring every token, and the ground truth of a keyword on a site. */
function registerEbayControls(app: FastifyInstance, control: SimulatorControl, tokens: EbayTokenStore): void {
  app.get('/_sim/ebay/tokens', () => tokens.stats());
  app.post('/_sim/ebay/tokens', (request, reply) =>
    answer(reply, () => {
      const { expire, lifetimeSeconds } = (request.body ?? {}) as Record<string, unknown>;
      if (lifetimeSeconds !== undefined) {
        if (typeof lifetimeSeconds !== 'number' || !Number.isInteger(lifetimeSeconds) || lifetimeSeconds < 1) {
          throw new ControlInputError('lifetimeSeconds must be a positive integer');
        }
        tokens.setLifetime(lifetimeSeconds);
      }
      const expired = expire === true ? tokens.expireAll() : 0;
      return { ...tokens.stats(), expired };
    }),
  );
  app.get('/_sim/ebay/truth', (request, reply) =>
    answer(reply, () => {
      const { q, site, at } = (request.query ?? {}) as Record<string, unknown>;
      if (typeof q !== 'string' || q.trim() === '') {
        throw new ControlInputError('q is required');
      }
      const siteId = ebaySiteOf(typeof site === 'string' ? site : undefined);
      if (siteId === undefined) {
        throw new ControlInputError('site must be one of the eBay sites (EBAY_US, EBAY_GB, …)');
      }
      const when = typeof at === 'string' && at !== '' ? new Date(at) : control.now();
      if (Number.isNaN(when.getTime())) {
        throw new ControlInputError('at must be an ISO-8601 date-time');
      }
      const items = ebayGroundTruth(control, q, siteId, when);
      return { q, site: siteId, at: when.toISOString(), total: items.length, items };
    }),
  );
}

/**
 * Registers eBay's contract: the OAuth token endpoint, the Browse keyword search, and their `/_sim/ebay` controls.
 * The shared faults (latency, outage, error rate, throttle, daily quota, rejected client ids) apply in eBay's shapes.
 */
export function registerEbayRoutes(app: FastifyInstance, control: SimulatorControl): void {
  const tokens = new EbayTokenStore(() => control.wallMs());
  void app.register((scope, _options, done) => {
    // The grant's body is a form; only this scope parses one.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, parsed) =>
      parsed(null, body),
    );
    scope.post('/identity/v1/oauth2/token', (request, reply) => grantToken(control, tokens, request, reply));
    done();
  });
  app.get('/buy/browse/v1/item_summary/search', (request, reply) => search(control, tokens, request, reply));
  registerEbayControls(app, control, tokens);
}
