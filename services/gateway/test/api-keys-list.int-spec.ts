import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from '@shelfwatch/persistence';
import { TenantsStore } from '../src/auth/tenants.store';
import { gatewayPersistence } from '../src/gateway.persistence';
import { TestEnvironment, createTestEnvironment } from '../../../libs/platform/test/service-harness';

/** The n-th key id in creation order (UUIDv7 ids sort by creation time; these sort by n). */
function keyId(n: number): string {
  return `0190c000-0000-7000-8000-${String(n).padStart(12, '0')}`;
}

/** A tenant's API keys list on the real Postgres: oldest first, after the cursor's key, counted per tenant. */
describe('API keys list', () => {
  let environment: TestEnvironment;
  let orm: MikroORM;
  let store: TenantsStore;
  const tenantId = randomUUID();

  beforeAll(async () => {
    environment = await createTestEnvironment([gatewayPersistence]);
    orm = await MikroORM.init(ormOptions(gatewayPersistence, environment.db.adminUrl, 4));
    store = new TenantsStore(orm);
    const other = randomUUID();
    const createdAt = new Date('2026-12-01T00:00:00Z');
    for (const id of [tenantId, other]) {
      await store.insertTenant(orm.em.fork(), { id, name: id, createdAt });
    }
    // Keys 1..5 of the tenant, inserted out of order; key 6 is another tenant's.
    for (const [n, tenant] of [
      [4, tenantId],
      [1, tenantId],
      [6, other],
      [5, tenantId],
      [2, tenantId],
      [3, tenantId],
    ] as const) {
      const key = {
        id: keyId(n),
        tenantId: tenant,
        lookup: `lookup-${n}`,
        hash: Buffer.alloc(32, n),
        label: `key ${n}`,
      };
      await store.insertKey(orm.em.fork(), { ...key, createdAt });
    }
  });

  afterAll(async () => {
    await orm?.close();
    await environment?.cleanup();
  });

  it("reads limit + 1 of the tenant's keys oldest first, then those after the cursor, with the tenant's count", async () => {
    const first = await store.listKeys(tenantId, undefined, 2);
    const next = await store.listKeys(tenantId, keyId(2), 2);
    const last = await store.listKeys(tenantId, keyId(4), 2);

    expect(first.rows.map((key) => key.id)).toEqual([keyId(1), keyId(2), keyId(3)]);
    expect(next.rows.map((key) => key.id)).toEqual([keyId(3), keyId(4), keyId(5)]);
    expect(last.rows.map((key) => key.id)).toEqual([keyId(5)]);
    expect([first.total, next.total, last.total]).toEqual([5, 5, 5]);
  });
});
