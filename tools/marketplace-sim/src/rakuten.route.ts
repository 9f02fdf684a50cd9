import { setTimeout as sleep } from 'node:timers/promises';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SortOrder } from './catalogue';
import { answer } from './control.routes';
import { ControlInputError } from './faults';
import { toTruthItem } from './ground-truth';
import {
  RAKUTEN_MAX_HITS,
  RAKUTEN_MAX_PAGE,
  RakutenError,
  rakutenError,
  rakutenErrorOfFault,
  rakutenGroundTruth,
  RakutenSearchResponse,
  toRakutenItem,
} from './rakuten-format';
import { first } from './search-params';
import { SimulatorControl } from './simulator-control';

/** Where Rakuten serves the Item Search API (version 2022-06-01): `RAKUTEN_API_BASE_URL` is `<sim>` plus this. */
export const RAKUTEN_SEARCH_PATH = '/services/api/IchibaItem/Search/20220601';

/** Rakuten's `sort` values the simulator knows, as the catalogue's orders. */
const SORTS: Readonly<Record<string, SortOrder>> = { standard: 'sim', '+itemPrice': 'asc', '-itemPrice': 'dsc' };

/** The validated parameters of one search. */
interface RakutenSearchParams {
  keyword: string;
  hits: number;
  page: number;
  sort: SortOrder;
  formatVersion: 1 | 2;
}

function integerIn(raw: string | undefined, fallback: number, min: number, max: number): number | null {
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  return value >= min && value <= max ? value : null;
}

const wrong = (name: string): { ok: false; error: RakutenError } => ({
  ok: false,
  error: { kind: 'wrong_parameter', description: `${name} parameter is not valid` },
});

/** Validates a search with Rakuten's rules: `keyword` required, `hits` 1–30 (30), `page` 1–100 (1), JSON only. */
export function parseRakutenSearch(
  query: Record<string, unknown>,
): { ok: true; params: RakutenSearchParams } | { ok: false; error: RakutenError } {
  const keyword = first(query.keyword);
  if (keyword === undefined || keyword.trim() === '') {
    return wrong('keyword');
  }
  const hits = integerIn(first(query.hits), RAKUTEN_MAX_HITS, 1, RAKUTEN_MAX_HITS);
  if (hits === null) {
    return wrong('hits');
  }
  const page = integerIn(first(query.page), 1, 1, RAKUTEN_MAX_PAGE);
  if (page === null) {
    return wrong('page');
  }
  const sort = SORTS[first(query.sort) ?? 'standard'];
  if (sort === undefined) {
    return wrong('sort');
  }
  const format = first(query.format) ?? 'json';
  if (format !== 'json') {
    return wrong('format');
  }
  const version = integerIn(first(query.formatVersion), 1, 1, 2);
  if (version === null) {
    return wrong('formatVersion');
  }
  return { ok: true, params: { keyword, hits, page, sort, formatVersion: version === 2 ? 2 : 1 } };
}

/** One page of the shelf in Rakuten's shape; null when the page holds nothing (Rakuten's `not_found`). */
export function rakutenSearchPage(
  control: SimulatorControl,
  params: RakutenSearchParams,
): RakutenSearchResponse | null {
  const shelf = control.catalogue.shelf(params.keyword, control.now().getTime(), params.sort);
  const offset = (params.page - 1) * params.hits;
  const entries = shelf.entries.slice(offset, offset + params.hits);
  if (entries.length === 0) {
    return null;
  }
  const items = entries.map((entry, i) => toRakutenItem(control.priced(toTruthItem(entry, offset + i + 1, shelf))));
  const count = shelf.entries.length;
  return {
    count,
    page: params.page,
    first: offset + 1,
    last: offset + items.length,
    hits: items.length,
    carrier: 0,
    pageCount: Math.min(RAKUTEN_MAX_PAGE, Math.ceil(count / params.hits)),
    Items: params.formatVersion === 1 ? items.map((item) => ({ Item: item })) : items,
  };
}

/** `GET /services/api/IchibaItem/Search/20220601`: counted and logged under the application id, like Naver's. */
async function search(control: SimulatorControl, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const atMs = control.wallMs();
  const query = (request.query ?? {}) as Record<string, unknown>;
  const applicationId = first(query.applicationId);
  const record = (status: number, errorCode: string | null): void =>
    control.record(applicationId, first(query.keyword), status, { atMs, errorCode });
  const fail = (error: RakutenError): FastifyReply => {
    const answer = rakutenError(error);
    record(answer.status, answer.body.error);
    return reply.code(answer.status).send(answer.body);
  };
  const latency = control.faults().latencyMs;
  if (latency > 0) {
    await sleep(latency);
  }
  // The documented host needs no second credential: the application id stands in for the secret of `admit`.
  const admission = control.admit(applicationId, first(query.accessKey) ?? applicationId);
  switch (admission.kind) {
    case 'outage':
      if (admission.mode === 'reset') {
        record(0, null);
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      return fail({ kind: 'service_unavailable' });
    case 'error':
      return fail(rakutenErrorOfFault(admission.error));
    case 'serve': {
      const parsed = parseRakutenSearch(query);
      if (!parsed.ok) {
        return fail(parsed.error);
      }
      const page = rakutenSearchPage(control, parsed.params);
      if (page === null) {
        return fail({ kind: 'not_found' });
      }
      record(200, null);
      return reply.send(page);
    }
    default: {
      const unreachable: never = admission;
      throw new Error(`unknown admission ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Registers Rakuten's Item Search contract and `GET /_sim/rakuten/truth?keyword=&at=` (what it serves for a keyword
 * at a time, in yen). The shared faults (latency, outage, error rate, throttle, daily quota, rejected ids) apply in
 * Rakuten's error shape.
 */
export function registerRakutenRoutes(app: FastifyInstance, control: SimulatorControl): void {
  app.get(RAKUTEN_SEARCH_PATH, (request, reply) => search(control, request, reply));
  app.get('/_sim/rakuten/truth', (request, reply) =>
    answer(reply, () => {
      const { keyword, at } = (request.query ?? {}) as Record<string, unknown>;
      if (typeof keyword !== 'string' || keyword.trim() === '') {
        throw new ControlInputError('keyword is required');
      }
      const when = typeof at === 'string' && at !== '' ? new Date(at) : control.now();
      if (Number.isNaN(when.getTime())) {
        throw new ControlInputError('at must be an ISO-8601 date-time');
      }
      const items = rakutenGroundTruth(control, keyword, when);
      return { keyword, at: when.toISOString(), total: items.length, items };
    }),
  );
}
