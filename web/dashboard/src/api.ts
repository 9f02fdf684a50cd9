import type { Page } from '@shelfwatch/contracts';

/** An RFC 9457 problem as the gateway answers it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { in: string; field: string; message: string }[];
  errorId?: string;
}

/** A refused or failed call: the HTTP status (0 when the gateway could not be reached) and its problem. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
    message: string,
  ) {
    super(message);
  }

  /** The problem's slug (`crawl-already-running`, `validation`, …); '' when there is none. */
  get slug(): string {
    return this.problem?.type.split('/').pop() ?? '';
  }
}

type Query = Record<string, string | number | undefined | null>;

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}

/** The public REST API (`/v1`, same origin), called with the tenant's key in the Authorization header only. */
export class Api {
  constructor(
    private readonly key: string,
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.send<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.send<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PUT', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PATCH', path, body);
  }

  delete(path: string): Promise<void> {
    return this.send<void>('DELETE', path);
  }

  /** Every item of a list, following `nextCursor` (at most `maxPages` pages of 100). */
  async all<T>(path: string, query: Query = {}, maxPages = 20): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < maxPages; page++) {
      const got: Page<T> = await this.get<Page<T>>(path, { ...query, limit: 100, cursor });
      items.push(...got.items);
      cursor = got.nextCursor;
      if (cursor === null) {
        break;
      }
    }
    return items;
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}`, accept: 'application/json' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, null, 'ShelfWatch could not be reached. Check your connection and try again.');
    }
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : safeJson(text);
    if (!response.ok) {
      const problem = isProblem(parsed) ? parsed : null;
      if (response.status === 401) {
        this.onUnauthorized();
      }
      throw new ApiError(response.status, problem, describeFailure(response.status, problem));
    }
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(name, String(value));
    }
  }
  const search = params.toString();
  return search === '' ? path : `${path}?${search}`;
}

/** A sentence a seller can act on, from a status and its problem. */
export function describeFailure(status: number, problem: Problem | null): string {
  const fields = problem?.errors?.map((error) => `${error.field}: ${error.message}`).join('; ');
  if (status === 400 && fields) {
    return `Please check the form: ${fields}.`;
  }
  if (status === 401) {
    return 'Your API key was not accepted: it is unknown or has been revoked. Sign in again with a valid key.';
  }
  if (status === 403) {
    return 'This key is not allowed to do that. Sign in with a seller (tenant) API key.';
  }
  if (status === 429) {
    return 'Too many requests in a short time. Wait a moment, then try again.';
  }
  if (status >= 500) {
    const reference = problem?.errorId ? ` (reference ${problem.errorId})` : '';
    return `ShelfWatch could not answer right now${reference}. Try again in a moment.`;
  }
  return problem ? `${problem.title}: ${problem.detail}` : `The request failed (HTTP ${status}).`;
}
