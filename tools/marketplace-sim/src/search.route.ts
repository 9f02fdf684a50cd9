import { setTimeout as sleep } from 'node:timers/promises';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { filteredEntries, toTruthItem } from './ground-truth';
import { NaverError, naverError, NaverSearchResponse, rfc1123Kst, toNaverItem } from './naver-format';
import { parseSearchParams, SearchParams } from './search-params';
import { SimulatorControl } from './simulator-control';

/** What a load balancer in front of a dead backend answers. */
const UNAVAILABLE_HTML = '<html><body><h1>503 Service Unavailable</h1></body></html>';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function queryOf(request: FastifyRequest): Record<string, unknown> {
  return typeof request.query === 'object' && request.query !== null ? (request.query as Record<string, unknown>) : {};
}

/** One page of the shelf, in Naver's shape; recorded in the served log when that is on. */
export function searchPage(control: SimulatorControl, params: SearchParams): NaverSearchResponse {
  const now = control.now();
  const shelf = control.catalogue.shelf(params.query, now.getTime(), params.sort);
  const entries = filteredEntries(shelf, params.filter);
  const page = entries.slice(params.start - 1, params.start - 1 + params.display);
  const truth = page.map((entry, i) => control.priced(toTruthItem(entry, params.start + i, shelf)));
  control.served.note(params.query, now, params.sort, truth);
  const items = truth.map((item) => toNaverItem(item, shelf.query));
  return {
    lastBuildDate: rfc1123Kst(now.getTime()),
    total: entries.length,
    start: params.start,
    display: items.length,
    items,
  };
}

/** Counts and logs every request with the status it got, and applies `errorsAs200` to Naver error bodies. */
class SearchResponder {
  /** Arrival times (real clock) of requests not answered yet. */
  private readonly arrivals = new WeakMap<FastifyRequest, number>();

  constructor(private readonly control: SimulatorControl) {}

  arrived(request: FastifyRequest): void {
    this.arrivals.set(request, this.control.wallMs());
  }

  send(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    body: unknown,
    errorCode: string | null = null,
  ): FastifyReply {
    this.record(request, status, errorCode);
    return reply.code(status).send(body);
  }

  sendError(request: FastifyRequest, reply: FastifyReply, error: NaverError): FastifyReply {
    const { status, body } = naverError(error);
    return this.send(request, reply, this.control.faults().errorsAs200 ? 200 : status, body, body.errorCode);
  }

  record(request: FastifyRequest, status: number, errorCode: string | null = null): void {
    const query = queryOf(request).query;
    const atMs = this.arrivals.get(request) ?? this.control.wallMs();
    this.control.record(header(request, 'x-naver-client-id'), typeof query === 'string' ? query : undefined, status, {
      atMs,
      errorCode,
    });
  }
}

async function handleSearch(
  control: SimulatorControl,
  responder: SearchResponder,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  responder.arrived(request);
  const latency = control.faults().latencyMs;
  if (latency > 0) {
    await sleep(latency);
  }
  const admission = control.admit(header(request, 'x-naver-client-id'), header(request, 'x-naver-client-secret'));
  switch (admission.kind) {
    case 'outage':
      if (admission.mode === 'reset') {
        // No status line at all: the client sees a reset socket, as when a backend dies mid-request.
        responder.record(request, 0);
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      return responder.send(request, reply.type('text/html; charset=utf-8'), 503, UNAVAILABLE_HTML);
    case 'error':
      return responder.sendError(request, reply, admission.error);
    case 'serve': {
      const parsed = parseSearchParams(queryOf(request));
      return parsed.ok
        ? responder.send(request, reply, 200, searchPage(control, parsed.params))
        : responder.sendError(request, reply, parsed.error);
    }
    default: {
      const unreachable: never = admission;
      throw new Error(`unknown admission ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Registers `GET /v1/search/shop.json` (and Naver's `/v1/search/shop` alias) plus SE05 for any other search
 * API. Every request is counted in the statistics with the status it got.
 */
export function registerSearchRoutes(app: FastifyInstance, control: SimulatorControl): void {
  const responder = new SearchResponder(control);
  const search = (request: FastifyRequest, reply: FastifyReply) => handleSearch(control, responder, request, reply);
  app.get('/v1/search/shop.json', search);
  app.get('/v1/search/shop', search);
  app.all('/v1/search/*', (request, reply) => responder.sendError(request, reply, { kind: 'SE05' }));
}
