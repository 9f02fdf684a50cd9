import { randomBytes } from 'node:crypto';

/** What the token endpoint answers. */
export interface EbayTokenResponse {
  access_token: string;
  expires_in: number;
  token_type: 'Application Access Token';
}

/** Token requests granted, per client id (`GET /_sim/ebay/tokens`). */
export interface EbayTokenStats {
  total: number;
  issued: Record<string, number>;
  lifetimeSeconds: number;
}

/** eBay's application tokens live two hours; the simulator's live five minutes so that tests see them renewed. */
export const SIM_TOKEN_LIFETIME_SECONDS = 300;

/**
 * The application tokens the simulator has issued, each for a client id until it expires on the real clock (the
 * simulated clock is often pinned in tests). `expireAll` is the control switch that makes every one stale at once.
 */
export class EbayTokenStore {
  #tokens = new Map<string, { clientId: string; expiresAtMs: number }>();
  #issued = new Map<string, number>();
  #lifetimeSeconds = SIM_TOKEN_LIFETIME_SECONDS;

  constructor(private readonly wallMs: () => number) {}

  issue(clientId: string): EbayTokenResponse {
    const token = `v^1.1#i^1#sim#${randomBytes(18).toString('base64url')}`;
    this.#tokens.set(token, { clientId, expiresAtMs: this.wallMs() + this.#lifetimeSeconds * 1_000 });
    this.#issued.set(clientId, (this.#issued.get(clientId) ?? 0) + 1);
    return { access_token: token, expires_in: this.#lifetimeSeconds, token_type: 'Application Access Token' };
  }

  /** The client id a bearer token was issued to; undefined when unknown or expired. */
  clientOf(token: string | undefined): string | undefined {
    const entry = token === undefined ? undefined : this.#tokens.get(token);
    if (entry === undefined || entry.expiresAtMs <= this.wallMs()) {
      return undefined;
    }
    return entry.clientId;
  }

  /** Expires every token issued so far; returns how many were live. */
  expireAll(): number {
    const live = [...this.#tokens.values()].filter((entry) => entry.expiresAtMs > this.wallMs()).length;
    this.#tokens.clear();
    return live;
  }

  /** The `expires_in` of tokens issued from now on. */
  setLifetime(seconds: number): void {
    this.#lifetimeSeconds = seconds;
  }

  stats(): EbayTokenStats {
    const issued = Object.fromEntries(this.#issued);
    const total = Object.values(issued).reduce((sum, n) => sum + n, 0);
    return { total, issued, lifetimeSeconds: this.#lifetimeSeconds };
  }
}
