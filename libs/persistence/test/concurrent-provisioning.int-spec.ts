import { TestDatabase, createTestDatabase } from '@shelfwatch/testing';
import { ensureServiceSchema, serviceRole } from '../src';

/**
 * Provisioners of different databases on one server, at once (test files run side by side; replicas of a
 * launcher): the service roles are cluster-wide, so their changes must not collide.
 */
describe('provisioning several databases at once', () => {
  const dbs: TestDatabase[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 4; i++) {
      dbs.push(await createTestDatabase());
    }
  });

  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.drop()));
  });

  it('gives every database the role and schema, with no "tuple concurrently updated" from the shared role', async () => {
    for (let round = 0; round < 5; round++) {
      const outcomes = await Promise.allSettled(
        dbs.map((db) => ensureServiceSchema(db.adminUrl, 'alerting', serviceRole('alerting'))),
      );
      const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : []));
      expect(failures).toEqual([]);
    }
  });
});
