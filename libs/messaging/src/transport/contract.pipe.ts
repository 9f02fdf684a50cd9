import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { parseRequest } from '../rpc';

/**
 * Validates a request payload against its contract schema: `@Payload(new ContractPipe(schema)) input`. A
 * payload with a control character or failing the schema is answered `invalid`, naming every failing field.
 */
export class ContractPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: z.ZodType<T>) {}

  transform(value: unknown): T {
    return parseRequest(this.schema, value);
  }
}
