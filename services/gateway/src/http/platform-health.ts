import { HEALTH_RPC } from '@shelfwatch/contracts';
import { FastifyInstance } from 'fastify';
import { Downstream } from '../downstream/downstream';

/**
 * `GET /health` on the gateway: the platform's verdict from the health service (`{status, timestamp}`, no
 * component details, no key needed), so the dashboard on the same origin can show a banner. 503 when the
 * platform is unhealthy or the health service cannot be asked. The gateway's own probes stay `/health/*`.
 */
export function registerPlatformHealth(instance: FastifyInstance, downstream: Downstream): void {
  instance.get('/health', async (_request, reply) => {
    try {
      const summary = await downstream.call(HEALTH_RPC.summary, {});
      return await reply.status(summary.status === 'unhealthy' ? 503 : 200).send(summary);
    } catch {
      return reply.status(503).type('application/problem+json').send({
        type: 'https://shelfwatch.dev/problems/health-unknown',
        title: 'The platform health cannot be read now',
        status: 503,
        detail: 'the health service did not answer',
      });
    }
  });
}
