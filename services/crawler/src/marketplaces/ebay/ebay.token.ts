import { createHash } from 'node:crypto';
import { parseRetryAfter } from '@shelfwatch/resilience';
import { z } from 'zod';
import type { Clock, FetchPort, MarketplaceCredentials } from '../marketplace-adapter';
import { MarketplaceError, marketplaceErrorFromStatus } from '../marketplace-error';
import { EBAY_DEFAULT_RETRY_AFTER_MS, parseJson } from './ebay.parse';

/** The scope of an application token that may call the Browse API. */
export const EBAY_PUBLIC_SCOPE = 'https://api.ebay.com/oauth/api_scope';

/** A token is not used in its last minute (or, when it lives shorter, its last half), so it never expires in flight. */
const REFRESH_MARGIN_MS = 60_000;

/** An application access token and when to stop using it (epoch ms). */
export interface EbayToken {
  readonly value: string;
  readonly useUntilMs: number;
}

const tokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
});

const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().nullish() });

/** A raw answer of the token endpoint. */
export interface EbayTokenAnswer {
  status: number;
  text: string;
  retryAfter: string | null;
  nowMs: number;
}

/**
 * Reads the client-credentials grant's answer: the token and its lifetime, or the `MarketplaceError` a refusal
 * stands for (`invalid_client` and every other OAuth refusal: `auth_failed`; 429 throttled; 5xx upstream).
 */
export function parseEbayTokenAnswer(answer: EbayTokenAnswer): EbayToken {
  const body = parseJson(answer.text);
  const refusal = oauthErrorSchema.safeParse(body);
  if (answer.status >= 400 || refusal.success) {
    const code = refusal.success ? refusal.data.error : undefined;
    const options = {
      httpStatus: answer.status,
      upstreamCode: code,
      message: code === undefined ? undefined : `eBay token refused: ${code}`,
    };
    // The grant is refused for what the credentials are (unknown client, app not allowed the scope): auth_failed.
    if (code !== undefined && answer.status < 500 && answer.status !== 429) {
      return throwError(new MarketplaceError('auth_failed', options));
    }
    const retryAfterMs = parseRetryAfter(answer.retryAfter, () => answer.nowMs);
    const failure = marketplaceErrorFromStatus(answer.status, {
      ...options,
      retryAfterMs,
      defaultRetryAfterMs: EBAY_DEFAULT_RETRY_AFTER_MS,
    });
    return throwError(failure ?? new MarketplaceError('invalid_response', options));
  }
  const token = tokenSchema.safeParse(body);
  if (!token.success) {
    throw new MarketplaceError('invalid_response', {
      httpStatus: answer.status,
      message: `eBay token body is not the contract: ${z.prettifyError(token.error).slice(0, 300)}`,
    });
  }
  const lifetimeMs = token.data.expires_in * 1_000;
  return {
    value: token.data.access_token,
    useUntilMs: answer.nowMs + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2),
  };
}

function throwError(error: MarketplaceError): never {
  throw error;
}

/** The cache key of a credential pair: a hash, so neither the id nor the secret is kept in the clear. */
function keyOf(credentials: MarketplaceCredentials): string {
  // The secret is part of the key: a wrong secret for a known client id must not reuse the right one's token.
  return createHash('sha256')
    .update(credentials.clientId.reveal())
    .update('\0')
    .update(credentials.clientSecret.reveal())
    .digest('hex');
}

/**
 * Application tokens of eBay's OAuth client-credentials grant, cached per credential pair until shortly before they
 * expire. Concurrent callers of one credential share a single in-flight token request (no stampede: eBay allows an
 * application 1,000 token requests a day).
 */
export class EbayTokenCache {
  private readonly tokens = new Map<string, EbayToken>();
  private readonly inFlight = new Map<string, Promise<EbayToken>>();
  /** Token requests sent (tests count them). */
  requestsSent = 0;

  constructor(
    private readonly tokenUrl: string,
    private readonly fetch: FetchPort,
    private readonly clock: Clock,
  ) {}

  /** A valid token of `credentials`; `signal` aborts the wait (and the request, when this call started it). */
  async get(credentials: MarketplaceCredentials, signal: AbortSignal): Promise<string> {
    const key = keyOf(credentials);
    const cached = this.tokens.get(key);
    if (cached !== undefined && cached.useUntilMs > this.clock()) {
      return cached.value;
    }
    let token: EbayToken;
    try {
      token = await abortable(this.shared(key, credentials, signal), signal);
    } catch (err) {
      // The request was another caller's and its caller gave up: this caller, still waiting, sends its own.
      if (signal.aborted || !(err instanceof MarketplaceError) || err.code !== 'cancelled') {
        throw err;
      }
      token = await abortable(this.shared(key, credentials, signal), signal);
    }
    this.tokens.set(key, token);
    return token.value;
  }

  /** Forgets `token` (the API answered 401 to it), unless a newer one has replaced it already. */
  invalidate(credentials: MarketplaceCredentials, token: string): void {
    const key = keyOf(credentials);
    if (this.tokens.get(key)?.value === token) {
      this.tokens.delete(key);
    }
  }

  /** The token request in flight for `key`, or a new one sent with `signal`. */
  private shared(key: string, credentials: MarketplaceCredentials, signal: AbortSignal): Promise<EbayToken> {
    let pending = this.inFlight.get(key);
    if (pending === undefined) {
      pending = this.request(credentials, signal).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async request(credentials: MarketplaceCredentials, signal: AbortSignal): Promise<EbayToken> {
    const basic = Buffer.from(`${credentials.clientId.reveal()}:${credentials.clientSecret.reveal()}`).toString(
      'base64',
    );
    this.requestsSent += 1;
    let answer: EbayTokenAnswer;
    try {
      const response = await this.fetch(this.tokenUrl, {
        method: 'POST',
        signal,
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          // Revealed here only: the Secret never reaches a log or an error message.
          authorization: `Basic ${basic}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: EBAY_PUBLIC_SCOPE }).toString(),
      });
      const text = await response.text();
      answer = { status: response.status, text, retryAfter: response.headers.get('retry-after'), nowMs: this.clock() };
    } catch (err) {
      throw ebayNetworkFailure(err, signal, 'token');
    }
    return parseEbayTokenAnswer(answer);
  }
}

/** Waits for `promise` unless `signal` aborts first (a shared token request outlives one caller's deadline). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    return Promise.reject(ebayNetworkFailure(signal.reason, signal, 'token'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(ebayNetworkFailure(signal.reason, signal, 'token'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A request that got no answer: cancelled when its signal aborted (the aborter decides what it means), else upstream. */
export function ebayNetworkFailure(err: unknown, signal: AbortSignal, what: 'token' | 'search'): MarketplaceError {
  if (signal.aborted) {
    return new MarketplaceError('cancelled', { message: `eBay ${what} request aborted`, cause: signal.reason });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new MarketplaceError('upstream_error', { message: `eBay ${what} request failed: ${message}`, cause: err });
}
