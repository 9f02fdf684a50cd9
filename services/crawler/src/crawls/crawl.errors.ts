import { DomainError, notFoundMessage, RpcAnyErrorCode } from '@shelfwatch/contracts';

/** Why a crawl command or query was refused; travels to callers as the RPC error code. */
export const CrawlErrorCode = {
  NotFound: 'not_found',
  /** A crawl of the keyword is active: the gateway answers 409. */
  AlreadyRunning: 'already_running',
} as const satisfies Record<string, RpcAnyErrorCode>;
export type CrawlErrorCode = (typeof CrawlErrorCode)[keyof typeof CrawlErrorCode];

/** A refusal of the crawls feature; request/reply answers it with its code, as every {@link DomainError}. */
export class CrawlError extends DomainError<CrawlErrorCode> {
  static notFound(what: string, id: string): CrawlError {
    return new CrawlError(CrawlErrorCode.NotFound, notFoundMessage(what, id));
  }

  static alreadyRunning(keywordId: string): CrawlError {
    return new CrawlError(CrawlErrorCode.AlreadyRunning, `keyword ${keywordId} is already being crawled`);
  }
}
