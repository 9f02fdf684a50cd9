import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

/** One canned answer: a status, a JSON body and headers; or `hang` to never answer. */
export type StubAnswer = { status: number; body: unknown; headers?: Record<string, string> } | 'hang';

/** What the stub saw of one request. */
export interface SeenRequest {
  query: Record<string, string>;
  clientId: string | undefined;
  clientSecret: string | undefined;
}

/** A Naver-shaped page of `display` products starting at `start`, titles highlighted, numbers as strings. */
export function naverPage(start: number, display: number, total = 5_000): Record<string, unknown> {
  const items = Array.from({ length: Math.max(0, Math.min(display, total - start + 1)) }, (_, i) => ({
    title: `<b>earbuds</b> model ${start + i}`,
    link: `https://example.test/p/${start + i}`,
    image: '',
    lprice: String(10_000 + start + i),
    hprice: '',
    mallName: 'mall',
    productId: `p${start + i}`,
    productType: '2',
    brand: 'Acme',
    maker: 'Acme',
    category1: 'Audio',
    category2: 'Earbuds',
    category3: '',
    category4: '',
  }));
  return { lastBuildDate: 'Mon, 23 Nov 2026 00:30:00 +0900', total, start, display, items };
}

/** A local Fastify server on port 0 answering `/v1/search/shop.json` with whatever `respond` says. */
export class NaverStub {
  readonly seen: SeenRequest[] = [];
  /** Sockets of hanging requests that the client closed. */
  closedWhileHanging = 0;
  respond: (query: Record<string, string>) => StubAnswer = (query) => ({
    status: 200,
    body: naverPage(Number(query.start ?? 1), Number(query.display ?? 10)),
  });

  private readonly app: FastifyInstance = Fastify({ forceCloseConnections: true });
  private address = '';

  private constructor() {
    this.app.get('/v1/search/shop.json', (request, reply) => this.handle(request, reply));
  }

  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  get url(): string {
    return this.address;
  }

  /** Starts a stub on an ephemeral port. */
  static async start(): Promise<NaverStub> {
    const stub = new NaverStub();
    stub.address = await stub.app.listen({ port: 0, host: '127.0.0.1' });
    return stub;
  }

  private async handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const query = request.query as Record<string, string>;
    const header = (name: string): string | undefined => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    this.seen.push({ query, clientId: header('x-naver-client-id'), clientSecret: header('x-naver-client-secret') });
    const answer = this.respond(query);
    if (answer === 'hang') {
      await new Promise<void>((resolve) => request.raw.socket.once('close', () => resolve()));
      this.closedWhileHanging += 1;
      return reply;
    }
    return reply
      .status(answer.status)
      .headers(answer.headers ?? {})
      .send(answer.body);
  }

  /** Stops the server, closing any connection left open. */
  close(): Promise<void> {
    return this.app.close();
  }
}
