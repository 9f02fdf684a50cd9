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

/** Picks the credentials a tenant's crawl of a marketplace is sent with. */
export interface CredentialResolver {
  /** Rejects with `MarketplaceError` `auth_failed` when there are none to use. */
  resolve(tenantId: string, marketplace: string): Promise<ResolvedCredential>;
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
}
