import type { MarketplaceCredentials } from './marketplace-adapter';
import { MarketplaceError } from './marketplace-error';
import type { MarketplaceRegistry } from './marketplace-registry';

/** Whose credentials a request is sent with. */
export type CredentialSource = 'platform' | 'tenant';

/** The credentials one crawl uses, and whose budget its requests spend. */
export interface ResolvedCredential {
  marketplace: string;
  source: CredentialSource;
  /** The budget every request with these credentials counts against: `<marketplace>:platform` or `<marketplace>:tenant:<id>`. */
  budgetKey: string;
  credentials: MarketplaceCredentials;
}

/** What a tenant may see of the credentials its crawls of a marketplace use: never the credentials themselves. */
export interface CredentialSummary {
  /** `none`: neither the tenant nor the platform has credentials; crawls fail with `auth_failed`. */
  source: CredentialSource | 'none';
  /** Last four characters of the tenant's own client id; null for platform credentials. */
  last4: string | null;
  lastUsedAt: Date | null;
  updatedAt: Date | null;
}

/** Picks the credentials a tenant's crawl of a marketplace is sent with. */
export interface CredentialResolver {
  /** Rejects with `MarketplaceError` `auth_failed` when there are none to use. */
  resolve(tenantId: string, marketplace: string): Promise<ResolvedCredential>;
  /** Which credentials the tenant's crawls of the marketplace would use now. */
  summary(tenantId: string, marketplace: string): Promise<CredentialSummary>;
}

export const CREDENTIAL_RESOLVER = Symbol('CREDENTIAL_RESOLVER');

/** The budget key of the platform's credentials of a marketplace. */
export function platformBudgetKey(marketplace: string): string {
  return `${marketplace}:platform`;
}

/** Every tenant uses the platform's credentials of the marketplace, when they are configured. */
export class PlatformCredentialResolver implements CredentialResolver {
  constructor(private readonly registry: MarketplaceRegistry) {}

  resolve(_tenantId: string, marketplace: string): Promise<ResolvedCredential> {
    const definition = this.registry.get(marketplace);
    if (!definition?.platformCredentials) {
      const variables = definition?.credentialVariables.join(' and ') ?? 'its credentials';
      return Promise.reject(
        new MarketplaceError('auth_failed', { message: `no credentials for ${marketplace}: set ${variables}` }),
      );
    }
    return Promise.resolve({
      marketplace,
      source: 'platform',
      budgetKey: platformBudgetKey(marketplace),
      credentials: definition.platformCredentials,
    });
  }

  summary(_tenantId: string, marketplace: string): Promise<CredentialSummary> {
    const configured = this.registry.get(marketplace)?.platformCredentials;
    return Promise.resolve({
      source: configured ? 'platform' : 'none',
      last4: null,
      lastUsedAt: null,
      updatedAt: null,
    });
  }
}
