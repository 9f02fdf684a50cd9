import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AlertView, Page, decodeCursor, toPage } from '@shelfwatch/contracts';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator } from '@shelfwatch/messaging';
import { freshEm, inTransaction } from '@shelfwatch/persistence';
import { AlertingError, AlertingErrorCode } from '../alerting.errors';
import { AlertWriter } from './alert-writer';
import { decideAck } from './alert.lifecycle';
import { AlertFilter, AlertsStore } from './alerts.store';

/** The tenant's view of its alerts, and acknowledging them. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: AlertsStore,
    private readonly writer: AlertWriter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async list(filter: AlertFilter, page: { limit: number; cursor?: string }): Promise<Page<AlertView>> {
    const { rows, total } = await this.store.list(freshEm(this.orm), filter, {
      limit: page.limit,
      after: decodeCursor(page.cursor),
    });
    return toPage(rows, page.limit, total, (row) => row);
  }

  async get(tenantId: string, alertId: string): Promise<AlertView> {
    const alert = await this.store.find(freshEm(this.orm), tenantId, alertId);
    if (!alert) {
      throw AlertingError.notFound('alert', alertId);
    }
    return alert;
  }

  /** Acknowledges (idempotent: twice answers the same alert); `conflict` once the alert is resolved. */
  async acknowledge(tenantId: string, alertId: string): Promise<AlertView> {
    return inTransaction(this.orm, async (em) => {
      const alert = await this.store.find(em, tenantId, alertId, true);
      if (!alert) {
        throw AlertingError.notFound('alert', alertId);
      }
      const decision = decideAck(alert);
      switch (decision.kind) {
        case 'acknowledge': {
          const origin = { tenantId, correlationId: this.ids.next(), causationId: null };
          await this.writer.acknowledge(em, { origin, at: this.clock.now() }, alert);
          return (await this.store.find(em, tenantId, alertId)) ?? alert;
        }
        case 'already_acknowledged':
          return alert;
        case 'refused':
          throw new AlertingError(AlertingErrorCode.Conflict, `alert ${alertId}: ${decision.reason}`);
        default: {
          const unknown: never = decision;
          throw new Error(`unknown decision ${JSON.stringify(unknown)}`);
        }
      }
    });
  }
}
