import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { EventData, EventType } from '@shelfwatch/contracts';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator, OutboxEntry, OutboxWriter } from '@shelfwatch/messaging';
import { freshEm, inTransaction } from '@shelfwatch/persistence';
import { RankingError } from '../ranking.errors';

/** An event a change announces; its origin is filled in by {@link CatalogWriter}. */
export type PendingEvent = Omit<OutboxEntry<EventType>, 'origin'>;

/** Typed constructor of a {@link PendingEvent}, ordered on `aggregateKey` (a product or keyword id). */
export function pending<T extends EventType>(type: T, data: EventData<T>, aggregateKey: string): PendingEvent {
  return { type, data, aggregateKey };
}

/** Who asked for a change. */
export interface WriteScope {
  tenantId: string;
  /** The caller's correlation id; a new one when absent. */
  correlationId?: string;
}

/** What a change gets: its transaction, the time and an id source. */
export interface WriteContext {
  em: EntityManager;
  now: Date;
  newId(): string;
}

/** What a change returns: the answer to the caller and the events it announces. */
export interface WriteOutcome<R> {
  result: R;
  events: PendingEvent[];
}

/**
 * Runs a catalog change and its `tracking.*` events in one transaction (the outbox), so the events are
 * published if and only if the change commits. A unique violation answers `conflict`.
 */
@Injectable()
export class CatalogWriter {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxWriter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async write<R>(scope: WriteScope, change: (ctx: WriteContext) => Promise<WriteOutcome<R>>): Promise<R> {
    const origin = {
      tenantId: scope.tenantId,
      correlationId: scope.correlationId ?? this.ids.next(),
      causationId: null,
    };
    try {
      return await inTransaction(this.orm, async (em) => {
        const { result, events } = await change({ em, now: this.clock.now(), newId: () => this.ids.next() });
        await em.flush();
        await this.outbox.appendMany(
          em,
          events.map((event) => ({ ...event, origin })),
        );
        return result;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw RankingError.conflict('an entry with the same identity already exists');
      }
      throw error;
    }
  }

  /** A fresh entity manager for reads. */
  reader(): EntityManager {
    return freshEm(this.orm);
  }
}
