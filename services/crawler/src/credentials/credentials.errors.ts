import { DomainError, RpcAnyErrorCode } from '@shelfwatch/contracts';

/** Why a credentials command was refused; travels to callers as the RPC error code. */
export const CredentialsErrorCode = {
  NotFound: 'not_found',
  /** The marketplace refused the credentials (401/403): nothing was stored. */
  Rejected: 'credentials_rejected',
  /** The live check got no verdict (timeout, 5xx, open breaker, quota): nothing was stored; try again later. */
  Unverified: 'credentials_unverified',
} as const satisfies Record<string, RpcAnyErrorCode>;
export type CredentialsErrorCode = (typeof CredentialsErrorCode)[keyof typeof CredentialsErrorCode];

/** A refusal of the credentials feature; request/reply answers it with its code, as every {@link DomainError}. */
export class CredentialsError extends DomainError<CredentialsErrorCode> {
  static notFound(marketplace: string): CredentialsError {
    return new CredentialsError(
      CredentialsErrorCode.NotFound,
      `no credentials of your own are stored for ${marketplace}`,
    );
  }

  static rejected(marketplace: string, httpStatus: number | undefined): CredentialsError {
    const status = httpStatus === undefined ? '' : ` (HTTP ${httpStatus})`;
    return new CredentialsError(
      CredentialsErrorCode.Rejected,
      `${marketplace} refused these credentials${status}; nothing was stored: check the client id and secret, and that the search API is enabled for them`,
    );
  }

  /** `reason` is a marketplace error code or a fixed phrase, never the marketplace's own text. */
  static unverified(marketplace: string, reason: string): CredentialsError {
    return new CredentialsError(
      CredentialsErrorCode.Unverified,
      `the credentials could not be checked with ${marketplace} (${reason}); nothing was stored: try again later`,
    );
  }
}
