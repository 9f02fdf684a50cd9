import { RpcHandlerError, parseRequest } from '@shelfwatch/messaging';
import { z } from 'zod';
import { RankingError } from './ranking.errors';

/**
 * Runs one request/reply call: validates the payload (`invalid` naming the fields otherwise), runs the
 * use case and maps its {@link RankingError} to the RPC domain error of the same code.
 */
export async function answer<T, R>(schema: z.ZodType<T>, payload: unknown, run: (input: T) => Promise<R>): Promise<R> {
  const input = parseRequest(schema, payload);
  try {
    return await run(input);
  } catch (error) {
    if (error instanceof RankingError) {
      throw new RpcHandlerError(error.code, error.message);
    }
    throw error;
  }
}
