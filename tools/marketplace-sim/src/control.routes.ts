import { FastifyInstance, FastifyReply } from 'fastify';
import { SORT_ORDERS, SortOrder } from './catalogue';
import { ControlInputError } from './faults';
import { SimulatorControl } from './simulator-control';

function isSort(value: unknown): value is SortOrder {
  return typeof value === 'string' && (SORT_ORDERS as readonly string[]).includes(value);
}

/** Runs a control change; a bad input is the caller's mistake (400), never a simulator failure. */
export function answer(reply: FastifyReply, change: () => unknown): FastifyReply {
  try {
    return reply.send(change());
  } catch (error) {
    if (error instanceof ControlInputError) {
      return reply.code(400).send({ error: error.message });
    }
    throw error;
  }
}

/**
 * Registers the `/_sim` control endpoints: faults, clock, reset, statistics, the request log, pinned prices, the
 * served log (`/_sim/served`: a summary, or with `query` and `at` what was served then) and the ground truth. They are
 * not part of Naver's API; a crawler must never call them.
 */
export function registerControlRoutes(app: FastifyInstance, control: SimulatorControl): void {
  app.get('/_sim/faults', () => control.faults());
  app.post('/_sim/faults', (request, reply) => answer(reply, () => control.setFaults(request.body ?? {})));
  app.get('/_sim/clock', () => control.clockState());
  app.post('/_sim/clock', (request, reply) => answer(reply, () => control.setClock(request.body ?? {})));
  app.post('/_sim/reset', () => {
    control.reset();
    return { ok: true };
  });
  app.get('/_sim/stats', () => control.stats());
  app.get('/_sim/requests', () => ({ requests: control.requests() }));
  app.get('/_sim/prices', () => control.prices());
  app.post('/_sim/prices', (request, reply) => answer(reply, () => control.setPrice(request.body ?? {})));
  app.get('/_sim/served', (request, reply) =>
    answer(reply, () => {
      const { query, at, sort } = (request.query ?? {}) as Record<string, unknown>;
      if (typeof query !== 'string' || typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
        return control.served.summary();
      }
      const order = sort === undefined || sort === '' ? 'sim' : sort;
      if (!isSort(order)) {
        throw new ControlInputError(`sort must be one of ${SORT_ORDERS.join(', ')}`);
      }
      return control.served.answer(query, new Date(at), order) ?? { query, at, sort: order, items: [], answers: 0 };
    }),
  );
  app.get('/_sim/truth', (request, reply) =>
    answer(reply, () => {
      const { query, at, sort } = (request.query ?? {}) as Record<string, unknown>;
      if (typeof query !== 'string' || query.trim() === '') {
        throw new ControlInputError('query is required');
      }
      const when = typeof at === 'string' && at !== '' ? new Date(at) : control.now();
      if (Number.isNaN(when.getTime())) {
        throw new ControlInputError('at must be an ISO-8601 date-time');
      }
      const order = sort === undefined || sort === '' ? 'sim' : sort;
      if (!isSort(order)) {
        throw new ControlInputError(`sort must be one of ${SORT_ORDERS.join(', ')}`);
      }
      const items = control.truth(query, when, order);
      return { query, at: when.toISOString(), sort: order, total: items.length, items };
    }),
  );
}
