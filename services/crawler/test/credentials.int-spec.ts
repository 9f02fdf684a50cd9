import { randomBytes, randomUUID } from 'node:crypto';
import { Secret } from '@shelfwatch/config';
import { systemClock } from '@shelfwatch/messaging';
import pino from 'pino';
import { BootedService, bootInTestEnvironment, bootService } from '../../../libs/platform/test/service-harness';
import { CrawlerAppModule } from '../src/app.module';
import { CrawlerConfig, loadCrawlerConfig } from '../src/crawler.config';
import { crawlerPersistence } from '../src/crawler.persistence';
import { CredentialCipher } from '../src/credentials/credential-cipher';
import { parseKeyRing } from '../src/credentials/credential-keys';
import { CredentialRotation } from '../src/credentials/credential-rotation';
import { CredentialStore } from '../src/credentials/credential.store';
import { TenantCredentialResolver } from '../src/credentials/tenant-credential-resolver';
import { MarketplaceRegistry } from '../src/marketplaces/marketplace-registry';

const key = (id: string): string => `${id}:${randomBytes(32).toString('base64')}`;
const K1 = key('k1');
const K2 = key('k2');
const credentials = { clientId: new Secret('own-client-id-0042'), clientSecret: new Secret('own-client-secret') };
const silent = pino({ level: 'silent' });

describe('tenant credentials in Postgres', () => {
  let booted: BootedService<CrawlerConfig>;
  let store: CredentialStore;
  let registry: MarketplaceRegistry;
  const old = new CredentialCipher(parseKeyRing(K1, false));

  beforeAll(async () => {
    booted = await bootInTestEnvironment(
      crawlerPersistence,
      loadCrawlerConfig,
      (config, logger) => CrawlerAppModule.forConfig(config, logger),
      () => ({ CRAWLER_CREDENTIALS_KEYS: K1, NAVER_CLIENT_ID: 'platform-id', NAVER_CLIENT_SECRET: 'platform-secret' }),
    );
    store = booted.sut.app.get(CredentialStore);
    registry = booted.sut.app.get(MarketplaceRegistry);
  }, 60_000);

  afterAll(async () => {
    await booted?.stop();
  });

  async function stored(cipher: CredentialCipher): Promise<{ tenantId: string; marketplace: string }> {
    const owner = { tenantId: randomUUID(), marketplace: 'naver' };
    await store.put(owner, cipher.seal(owner, credentials), '0042', new Date());
    return owner;
  }

  it('re-seals every row under the new first key when the crawler boots with it, so the old key can go', async () => {
    const owners = [await stored(old), await stored(old)];
    const lost = await stored(new CredentialCipher(parseKeyRing(key('k0'), false)));
    const env = { ...booted.environment.env, CRAWLER_CREDENTIALS_KEYS: `${K2},${K1}` };

    const rotated = await bootService('crawler', loadCrawlerConfig(env), (c, l) => CrawlerAppModule.forConfig(c, l));
    await rotated.close();

    const onlyNew = new CredentialCipher(parseKeyRing(K2, false));
    for (const owner of owners) {
      const sealed = (await store.find(owner))?.sealed;
      expect(sealed?.keyId).toBe('k2');
      expect(sealed && onlyNew.open(owner, sealed).clientSecret.reveal()).toBe('own-client-secret');
    }
    expect((await store.find(lost))?.sealed.keyId).toBe('k0');
    const again = new CredentialRotation(store, new CredentialCipher(parseKeyRing(`${K2},${K1}`, false)), silent);
    expect(await again.resealAll()).toEqual({ resealed: 0, unreadable: 1 });
  }, 60_000);

  it("uses the tenant's own credentials on its own budget, noting the use at most once a minute", async () => {
    const owner = await stored(old);
    let now = new Date('2026-12-03T10:00:00Z');
    const resolver = new TenantCredentialResolver(registry, store, old, { now: () => now });

    const resolved = await resolver.resolve(owner.tenantId, 'naver');
    expect([resolved.source, resolved.budgetKey, resolved.credentials.clientId.reveal()]).toEqual([
      'tenant',
      `naver:tenant:${owner.tenantId}`,
      'own-client-id-0042',
    ]);
    expect((await resolver.summary(owner.tenantId, 'naver')).lastUsedAt).toEqual(now);

    const first = now;
    now = new Date(first.getTime() + 30_000);
    await resolver.resolve(owner.tenantId, 'naver');
    expect((await resolver.summary(owner.tenantId, 'naver')).lastUsedAt).toEqual(first);

    now = new Date(first.getTime() + 61_000);
    await resolver.resolve(owner.tenantId, 'naver');
    expect((await resolver.summary(owner.tenantId, 'naver')).lastUsedAt).toEqual(now);
  });

  it("falls back to the platform's without own credentials, and never when the tenant's cannot be opened", async () => {
    const resolver = new TenantCredentialResolver(
      registry,
      store,
      new CredentialCipher(parseKeyRing(K2, false)),
      systemClock,
    );
    const unreadable = await stored(old);

    const platform = await resolver.resolve(randomUUID(), 'naver');
    expect([platform.source, platform.budgetKey, platform.credentials.clientId.reveal()]).toEqual([
      'platform',
      'naver:platform',
      'platform-id',
    ]);
    await expect(resolver.resolve(unreadable.tenantId, 'naver')).rejects.toMatchObject({
      code: 'auth_failed',
      message: expect.stringContaining('put them again') as string,
    });
  });
});
