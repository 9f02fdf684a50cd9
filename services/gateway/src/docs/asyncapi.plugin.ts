import { buildAsyncApi } from '@shelfwatch/contracts';
import { FastifyInstance } from 'fastify';

/** `/docs/asyncapi.json`: the AsyncAPI document of the events, public like the OpenAPI document. */
export function registerAsyncApi(instance: FastifyInstance, version: string): void {
  const json = JSON.stringify(buildAsyncApi(version));
  instance.get('/docs/asyncapi.json', (_request, reply) => reply.type('application/json; charset=utf-8').send(json));
}
