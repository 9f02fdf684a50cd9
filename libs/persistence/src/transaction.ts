import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';

/** Where a fresh entity manager comes from: the service's ORM, or an entity manager it was given. */
export type EntityManagerSource = MikroORM | EntityManager;

/**
 * A fresh entity manager with an empty identity map of its own, for reads and single statements (each runs in
 * autocommit). Use {@link inTransaction} when several statements must commit together.
 */
export function freshEm(source: EntityManagerSource): EntityManager {
  return ('fork' in source ? source : source.em).fork();
}

/**
 * Runs `work` in one transaction on a fresh entity manager and returns its result: MikroORM flushes what `work`
 * changed and commits when it resolves, and rolls back and rethrows the very error when it throws.
 */
export function inTransaction<T>(source: EntityManagerSource, work: (em: EntityManager) => T | Promise<T>): Promise<T> {
  return freshEm(source).transactional(work);
}
