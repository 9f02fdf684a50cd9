import { histogram } from '@shelfwatch/observability';
import { FastifyInstance } from 'fastify';

/** Metric name, so tests and dashboards do not retype it. */
export const HTTP_SERVER_DURATION = 'shelfwatch_http_server_request_duration_seconds';

/** Seconds a gateway request may take: cached reads in milliseconds, the slowest downstream calls in seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Route label of a request no route matched (a scanner's URLs must not become series). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Times every response of the gateway's Fastify instance into {@link HTTP_SERVER_DURATION}, labelled by method,
 * the route's pattern (`/v1/products/:productId`, never the raw URL, so ids and query strings cannot multiply
 * the series) and the status class (`2xx` … `5xx`). Register it before the routes.
 */
export function registerHttpMetrics(instance: FastifyInstance): void {
  const duration = histogram(
    HTTP_SERVER_DURATION,
    'Gateway HTTP requests from arrival to the response sent, by method, route pattern and status class',
    ['method', 'route', 'status_class'],
    DURATION_BUCKETS,
  );
  instance.addHook('onResponse', (request, reply, done) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? UNMATCHED_ROUTE,
        status_class: `${Math.floor(reply.statusCode / 100)}xx`,
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
