import type { MarketplaceAdapter, MarketplaceCredentials } from './marketplace-adapter';

/** What one set of credentials may spend at a marketplace. */
export interface MarketplaceLimits {
  /** Requests per second. */
  ratePerSecond: number;
  /** Requests in flight at once. */
  maxConcurrency: number;
  /** Requests per day, reset at {@link MarketplaceDefinition.nextQuotaReset}. */
  dailyQuota: number;
  /** One request is aborted after this. */
  requestTimeoutMs: number;
  /** The breaker: requests in its window before it judges, and how long it stays open. Client defaults if absent. */
  breaker?: { volumeThreshold: number; resetTimeoutMs: number };
}

/** One marketplace the crawler can crawl. */
export interface MarketplaceDefinition {
  /** Id used in contracts and URLs, e.g. `naver`. */
  id: string;
  /** Shown to users, e.g. `Naver Shopping`. */
  name: string;
  adapter: MarketplaceAdapter;
  limits: MarketplaceLimits;
  /** The platform's own credentials; null when not configured (tenants must bring theirs). */
  platformCredentials: MarketplaceCredentials | null;
  /** The variables that configure `platformCredentials`, named in errors. */
  credentialVariables: readonly string[];
  /** Where requests go (the real API, or the simulator). */
  baseUrl: string;
  /** The first moment after `now` when the marketplace's daily quota resets (Naver: midnight in Seoul). */
  nextQuotaReset(now: Date): Date;
}

/** The marketplaces this deployment crawls, by id. */
export class MarketplaceRegistry {
  private readonly byId: ReadonlyMap<string, MarketplaceDefinition>;

  constructor(definitions: readonly MarketplaceDefinition[]) {
    this.byId = new Map(definitions.map((definition) => [definition.id, definition]));
  }

  get(id: string): MarketplaceDefinition | undefined {
    return this.byId.get(id);
  }

  list(): MarketplaceDefinition[] {
    return [...this.byId.values()];
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}
