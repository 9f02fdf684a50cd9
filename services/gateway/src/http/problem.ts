/** Base of every problem `type` URI; each slug is stable and documented in docs/gateway.md. */
export const PROBLEM_BASE = 'https://shelfwatch.dev/problems/';

/** Every kind of problem the API answers with: its slug, HTTP status and title. */
export const PROBLEMS = {
  validation: { status: 400, title: 'Invalid request' },
  'malformed-body': { status: 400, title: 'Malformed request body' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  'crawl-already-running': { status: 409, title: 'A crawl of this keyword is already running' },
  'idempotency-in-progress': { status: 409, title: 'A request with this Idempotency-Key is still in progress' },
  'limit-exceeded': { status: 409, title: 'A tenant limit would be exceeded' },
  'secret-shown-once': { status: 409, title: 'The secret of this request was shown once and is not stored' },
  'payload-too-large': { status: 413, title: 'Request body too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key reused with a different request' },
  'answer-too-large': { status: 422, title: 'The answer would be too large; ask for less' },
  'credentials-rejected': { status: 422, title: 'The marketplace refused these credentials' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  'service-unavailable': { status: 503, title: 'Service unavailable' },
  'credentials-unverified': { status: 503, title: 'The credentials could not be checked with the marketplace' },
  'service-timeout': { status: 504, title: 'Service did not answer in time' },
} as const;

export type ProblemSlug = keyof typeof PROBLEMS;

/** An RFC 9457 problem document as the API sends it (`application/problem+json`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** Field-level errors of a `validation` problem. */
  errors?: { in: string; field: string; message: string }[];
  /** Present on `internal` problems; the same id is in the log line of the error. */
  errorId?: string;
}

/** Builds the problem of `slug`. */
export function problem(slug: ProblemSlug, detail: string, extra: Partial<Problem> = {}): Problem {
  const { status, title } = PROBLEMS[slug];
  return { type: `${PROBLEM_BASE}${slug}`, title, status, detail, ...extra };
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
