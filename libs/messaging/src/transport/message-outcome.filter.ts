import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { CodedRefusal, RpcHandlerError } from '../rpc';

/**
 * The transport's global exception filter: hands a handler's error on exactly as thrown. Nest's default
 * filter would log it and replace it with `{status: 'error'}`, losing what decides the message outcome:
 * `classifyHandlerError` (retry with back-off, or dead-letter with the reason) for an event, and the domain
 * error's code (`invalid`, `not_found`, ..., by `rpcRefusalOf`) or `internal` for a request.
 */
@Catch()
export class MessageOutcomeFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Translates errors that are not domain errors with a registry code into refusals:
 * `@UseFilters(new RefusalFilter(refusalOf))` on a request controller. A service's own `DomainError`s need no
 * filter: `RpcServer` answers them with their code ({@link rpcRefusalOf}). An error `refusalOf` does not
 * recognise travels on unchanged.
 */
@Catch()
export class RefusalFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly refusalOf: (error: unknown) => CodedRefusal | undefined) {}

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    const refusal = this.refusalOf(exception);
    return throwError(() => (refusal === undefined ? exception : new RpcHandlerError(refusal.code, refusal.message)));
  }
}
