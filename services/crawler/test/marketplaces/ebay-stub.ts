import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';

/** One recorded answer of `fixtures/ebay`: a status, headers and a JSON body (or raw text). */
export interface RecordedAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A recorded eBay answer by file name, e.g. `search-page`. */
export function recorded(name: string): RecordedAnswer {
  const path = join(__dirname, 'fixtures', 'ebay', `${name}.json`);
  return JSON.parse(readFileSync(path, 'utf8')) as RecordedAnswer;
}

/** What the stub saw of one token request. */
export interface SeenTokenRequest {
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

/** What the stub saw of one search request. */
export interface SeenSearch {
  query: Record<string, string>;
  authorization: string | undefined;
  marketplaceId: string | undefined;
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * A local server on port 0 playing eBay's token endpoint and Browse search with recorded answers: `token` and
 * `search` decide each answer from the request number (0-based) and what was asked.
 */
export class EbayStub {
  readonly tokenRequests: SeenTokenRequest[] = [];
  readonly searches: SeenSearch[] = [];
  token: (n: number) => RecordedAnswer = () => recorded('token');
  search: (n: number, seen: SeenSearch) => RecordedAnswer = () => recorded('search-page');
  /** How long the token endpoint takes to answer. */
  tokenDelayMs = 0;

  private readonly app: FastifyInstance = Fastify({ forceCloseConnections: true });
  private address = '';

  private constructor() {
    this.app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    this.app.post('/identity/v1/oauth2/token', async (request, reply) => {
      await sleep(this.tokenDelayMs);
      const n = this.tokenRequests.length;
      this.tokenRequests.push({
        authorization: header(request, 'authorization'),
        contentType: header(request, 'content-type'),
        body: typeof request.body === 'string' ? request.body : '',
      });
      const answer = this.token(n);
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    });
    this.app.get('/buy/browse/v1/item_summary/search', (request, reply) => {
      const seen = {
        query: request.query as Record<string, string>,
        authorization: header(request, 'authorization'),
        marketplaceId: header(request, 'x-ebay-c-marketplace-id'),
      };
      const n = this.searches.length;
      this.searches.push(seen);
      const answer = this.search(n, seen);
      const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      return reply.code(answer.status).headers(answer.headers).type('application/json').send(body);
    });
  }

  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  get url(): string {
    return this.address;
  }

  static async start(): Promise<EbayStub> {
    const stub = new EbayStub();
    stub.address = await stub.app.listen({ port: 0, host: '127.0.0.1' });
    return stub;
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
