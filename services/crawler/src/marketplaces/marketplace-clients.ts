import type { PageSource } from './marketplace-client';

/** This process's client of each marketplace, by id: every request to a marketplace goes through it. */
export type MarketplaceClients = ReadonlyMap<string, PageSource>;

export const MARKETPLACE_CLIENTS = Symbol('MARKETPLACE_CLIENTS');
