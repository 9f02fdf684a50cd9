import { EntityManager } from '@mikro-orm/postgresql';
import { EventData, EventEnvelope, EventOrigin, EventType, buildEvent } from '@shelfwatch/contracts';
import { currentTraceContext } from '@shelfwatch/observability';
import { executeBound, executePrepared, numberedPlaceholders } from '@shelfwatch/persistence';
import { outboxChannel } from './messaging-tables';
import { Clock, IdGenerator } from './ports';

/** One event to append: its type and data, where it comes from, and what it must stay ordered with. */
export interface OutboxEntry<T extends EventType> {
  type: T;
  data: EventData<T>;
  origin: EventOrigin;
  /**
   * Events with the same key are published in the order they were appended (for example a keyword id).
   * Defaults to the tenant id.
   */
  aggregateKey?: string;
}

/**
 * Appends events to the service's outbox inside the caller's transaction, so that they are published
 * if and only if the transaction commits. Validates every event against its contract first.
 */
export class OutboxWriter {
  private readonly table: string;

  constructor(
    private readonly schema: string,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {
    this.table = `"${schema}".outbox`;
  }

  /** Appends one event; `em` must be inside a transaction. */
  async append<T extends EventType>(em: EntityManager, entry: OutboxEntry<T>): Promise<EventEnvelope<T>> {
    const [event] = await this.appendMany(em, [entry]);
    if (!event) {
      throw new Error('outbox append returned no event');
    }
    return event as EventEnvelope<T>;
  }

  /** Appends several events in one statement, in order; `em` must be inside a transaction. */
  async appendMany(em: EntityManager, entries: OutboxEntry<EventType>[]): Promise<EventEnvelope[]> {
    if (!em.isInTransaction()) {
      throw new Error('outbox writes must run inside the transaction that makes the change they announce');
    }
    if (entries.length === 0) {
      return [];
    }
    const trace = currentTraceContext();
    const events = entries.map((entry) =>
      buildEvent(entry.type, entry.data, entry.origin, { id: this.ids.next(), occurredAt: this.clock.now() }),
    );
    const params = events.flatMap((event, index) => [
      event.id,
      event.type,
      entries[index]?.aggregateKey ?? event.tenantId,
      JSON.stringify(event),
      trace?.traceparent ?? null,
      trace?.tracestate ?? null,
    ]);
    const values = events.map(() => '(?, ?, ?, ?, ?, ?)').join(', ');
    const sql = numberedPlaceholders(
      `with inserted as (
         insert into ${this.table} (event_id, event_type, aggregate_key, payload, traceparent, tracestate) values ${values}
       ) select pg_notify(?, '')`,
    );
    // One round trip: the insert, and the notification delivered at commit that wakes the relay at once. The
    // payloads are bound, not escaped into the text: a crawl's event is tens of kilobytes. The text of one event,
    // by far the most appended, is prepared; each other count would be a statement more on every connection.
    const run = events.length === 1 ? executePrepared : executeBound;
    await run(em, sql, [...params, outboxChannel(this.schema)]);
    return events;
  }
}
