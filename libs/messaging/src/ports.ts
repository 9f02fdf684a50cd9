import { v7 as uuidv7 } from 'uuid';

/** Where time comes from; injected so that domain code and tests control it. */
export interface Clock {
  now(): Date;
}

/** Where ids come from (UUIDv7 in production). */
export interface IdGenerator {
  next(): string;
}

export const systemClock: Clock = { now: () => new Date() };
export const uuidV7Ids: IdGenerator = { next: () => uuidv7() };

export const CLOCK = Symbol('CLOCK');
export const ID_GENERATOR = Symbol('ID_GENERATOR');
