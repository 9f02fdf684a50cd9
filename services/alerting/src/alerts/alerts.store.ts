import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AlertHistoryEntry, AlertStatus, AlertType, AlertView } from '@shelfwatch/contracts';
import { executePrepared, keysetPage } from '@shelfwatch/persistence';
import { AlertDetails } from '../rules/alert-rules';
import { AlertLifeEvent } from './alert.lifecycle';
import { OpenAlert, ResolveReason } from './crawl-evaluation';

interface AlertRow {
  alert_id: string;
  tenant_id: string;
  rule_id: string;
  alert_type: AlertType;
  product_id: string;
  keyword_id: string;
  crawl_id: string;
  status: AlertStatus;
  message: string;
  details: AlertDetails;
  raised_at: Date;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
  resolved_reason: ResolveReason | null;
  history: { type: AlertHistoryEntry['type']; at: string; eventId: string }[];
}

const iso = (value: Date | null): string | null => (value === null ? null : new Date(value).toISOString());

function toView(row: AlertRow): AlertView {
  return {
    id: row.alert_id,
    ruleId: row.rule_id,
    type: row.alert_type,
    status: row.status,
    productId: row.product_id,
    keywordId: row.keyword_id,
    crawlId: row.crawl_id,
    message: row.message,
    details: row.details,
    raisedAt: new Date(row.raised_at).toISOString(),
    acknowledgedAt: iso(row.acknowledged_at),
    resolvedAt: iso(row.resolved_at),
    resolvedReason: row.resolved_reason,
    history: row.history.map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() })),
  };
}

/** An alert's columns and its history, folded from its events in order. */
const VIEW_COLUMNS = `a.*, coalesce((select json_agg(json_build_object('type', e.event_type, 'at', e.at, 'eventId', e.event_id)
    order by e.seq) from alerting.alert_events e where e.alert_id = a.alert_id), '[]') as history`;

/** A new alert as inserted (status raised). */
export interface NewAlert {
  alertId: string;
  tenantId: string;
  ruleId: string;
  type: AlertType;
  productId: string;
  keywordId: string;
  crawlId: string;
  message: string;
  details: AlertDetails;
  raisedAt: Date;
  /** When the crawl that raised it was made (the cool-down's clock). */
  crawledAt: Date;
}

/** Filters of the alert list. */
export interface AlertFilter {
  tenantId: string;
  status?: AlertStatus;
  type?: AlertType;
  productId?: string;
  keywordId?: string;
}

/** The alerting's alerts; every statement takes the caller's entity manager (and so its transaction). */
@Injectable()
export class AlertsStore {
  /**
   * The latest alert of every (rule type, product) on a keyword, in one query: an open one is always the
   * latest of its key, and the crawl time of the latest raise drives the cool-down.
   */
  async latestPerKey(
    em: EntityManager,
    tenantId: string,
    keywordId: string,
  ): Promise<{ open: OpenAlert[]; lastRaised: { type: AlertType; productId: string; crawledAt: Date }[] }> {
    const rows = await executePrepared<
      Pick<AlertRow, 'alert_id' | 'alert_type' | 'product_id' | 'status' | 'details'> & { crawled_at: Date }
    >(
      em,
      `select distinct on (alert_type, product_id) alert_id, alert_type, product_id, status, details, crawled_at
         from alerting.alerts where tenant_id = $1 and keyword_id = $2
        order by alert_type, product_id, raised_at desc`,
      [tenantId, keywordId],
    );
    return {
      open: rows
        .filter((row) => row.status !== 'resolved')
        .map((row) => ({
          alertId: row.alert_id,
          type: row.alert_type,
          productId: row.product_id,
          keywordId,
          details: row.details,
        })),
      lastRaised: rows.map((row) => ({
        type: row.alert_type,
        productId: row.product_id,
        crawledAt: new Date(row.crawled_at),
      })),
    };
  }

  /** Inserts raised alerts in one statement; returns the ids actually inserted (a racing open twin wins). */
  async insertRaised(em: EntityManager, alerts: readonly NewAlert[]): Promise<Set<string>> {
    if (alerts.length === 0) {
      return new Set();
    }
    const tuple = `(?, ?, ?, ?, ?, ?, ?, 'raised', ?, ?::jsonb, ?, ?)`;
    const rows = await em.execute<{ alert_id: string }[]>(
      `insert into alerting.alerts (alert_id, tenant_id, rule_id, alert_type, product_id, keyword_id, crawl_id, status,
                                    message, details, raised_at, crawled_at)
       values ${alerts.map(() => tuple).join(', ')} on conflict do nothing returning alert_id`,
      alerts.flatMap((a) => [
        a.alertId,
        a.tenantId,
        a.ruleId,
        a.type,
        a.productId,
        a.keywordId,
        a.crawlId,
        a.message,
        JSON.stringify(a.details),
        a.raisedAt,
        a.crawledAt,
      ]),
    );
    return new Set(rows.map((row) => row.alert_id));
  }

  /** Resolves open alerts in one statement; returns the ids that were still open. */
  async resolve(
    em: EntityManager,
    tenantId: string,
    resolutions: readonly { alertId: string; reason: ResolveReason }[],
    at: Date,
  ): Promise<Set<string>> {
    if (resolutions.length === 0) {
      return new Set();
    }
    const rows = await em.execute<{ alert_id: string }[]>(
      `update alerting.alerts a set status = 'resolved', resolved_at = ?, resolved_reason = v.reason
         from (values ${resolutions.map(() => '(?::uuid, ?)').join(', ')}) as v (id, reason)
        where a.alert_id = v.id and a.tenant_id = ? and a.status <> 'resolved'
        returning a.alert_id`,
      [at, ...resolutions.flatMap((r) => [r.alertId, r.reason]), tenantId],
    );
    return new Set(rows.map((row) => row.alert_id));
  }

  async acknowledge(em: EntityManager, tenantId: string, alertId: string, at: Date): Promise<void> {
    await em.execute(
      `update alerting.alerts set status = 'acknowledged', acknowledged_at = ? where alert_id = ? and tenant_id = ?`,
      [at, alertId, tenantId],
      'run',
    );
  }

  /** Records published life events of alerts (the history their state is folded from). */
  async appendEvents(em: EntityManager, events: readonly { alertId: string; event: AlertLifeEvent }[]): Promise<void> {
    if (events.length === 0) {
      return;
    }
    await em.execute(
      `insert into alerting.alert_events (event_id, alert_id, event_type, at, reason)
       values ${events.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      events.flatMap(({ alertId, event }) => [
        event.eventId,
        alertId,
        event.type,
        event.at,
        event.type === 'alert.resolved' ? event.reason : null,
      ]),
      'run',
    );
  }

  /** One alert of the tenant, locked for the caller's transaction when `lock` is set. */
  async find(em: EntityManager, tenantId: string, alertId: string, lock = false): Promise<AlertView | null> {
    const [row] = await em.execute<AlertRow[]>(
      `select ${VIEW_COLUMNS} from alerting.alerts a where a.alert_id = ? and a.tenant_id = ?${lock ? ' for update of a' : ''}`,
      [alertId, tenantId],
    );
    return row ? toView(row) : null;
  }

  /** Open alerts of the tenant, of one product (and keyword) when given: "product removed", "rule changed". */
  async openOfTenant(
    em: EntityManager,
    tenantId: string,
    productId?: string,
    keywordId?: string,
  ): Promise<OpenAlert[]> {
    const filters: [string, string | undefined][] = [
      [' and product_id = ?', productId],
      [' and keyword_id = ?', keywordId],
    ];
    const present = filters.filter((filter): filter is [string, string] => filter[1] !== undefined);
    const rows = await em.execute<
      Pick<AlertRow, 'alert_id' | 'alert_type' | 'product_id' | 'keyword_id' | 'details'>[]
    >(
      `select alert_id, alert_type, product_id, keyword_id, details from alerting.alerts
        where tenant_id = ? and status <> 'resolved'${present.map(([condition]) => condition).join('')}`,
      [tenantId, ...present.map(([, value]) => value)],
    );
    return rows.map((row) => ({
      alertId: row.alert_id,
      type: row.alert_type,
      productId: row.product_id,
      keywordId: row.keyword_id,
      details: row.details,
    }));
  }

  /** A page of the tenant's alerts, newest first, and how many match in all. */
  async list(
    em: EntityManager,
    filter: AlertFilter,
    page: { limit: number; after?: string },
  ): Promise<{ rows: (AlertView & { id: string })[]; total: number }> {
    const conditions = ['a.tenant_id = ?'];
    const params: (string | number)[] = [filter.tenantId];
    const optional: [string, string | undefined][] = [
      ['a.status = ?', filter.status],
      ['a.alert_type = ?', filter.type],
      ['a.product_id = ?', filter.productId],
      ['a.keyword_id = ?', filter.keywordId],
    ];
    for (const [condition, value] of optional) {
      if (value !== undefined) {
        conditions.push(condition);
        params.push(value);
      }
    }
    const { rows, total } = await keysetPage<AlertRow>(
      em,
      {
        columns: VIEW_COLUMNS,
        from: 'alerting.alerts a',
        where: conditions.join(' and '),
        params,
        key: 'a.alert_id',
        order: 'desc',
      },
      page,
    );
    return { rows: rows.map(toView), total };
  }
}
