import { answerRequest } from '@shelfwatch/messaging';
import { z } from 'zod';
import { RankingError } from './ranking.errors';

/** Runs one request/reply call of the ranking; its {@link RankingError}s answer with their code. */
export function answer<T, R>(schema: z.ZodType<T>, payload: unknown, run: (input: T) => Promise<R>): Promise<R> {
  return answerRequest(schema, payload, run, (error) => (error instanceof RankingError ? error : undefined));
}
