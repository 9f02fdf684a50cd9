import { Finding, finding } from './finding';
import { StoredEvent } from './stream-checks';
import { SeededProduct } from './workload';

interface RaisedData {
  alertId: string;
  alertType: string;
  ruleId: string;
  productId: string;
  keywordId: string;
}

/**
 * One condition raises one alert: per (rule, product, keyword), `alert.raised` and `alert.resolved` alternate.
 * Minimum: the alerts the ground truth implies (see {@link productMissingRaisedOnce}).
 */
export function alertsAlternate(alerts: readonly StoredEvent[], minimum: number): Finding {
  const open = new Map<string, string>();
  const keyOf = new Map<string, string>();
  const failures: string[] = [];
  let raised = 0;
  for (const event of alerts) {
    const envelope = event.envelope;
    if (envelope?.type === 'alert.raised') {
      raised++;
      const data = envelope.data as RaisedData;
      const key = `${data.alertType}/${data.productId}/${data.keywordId}`;
      if (open.has(key)) {
        failures.push(`${key} raised again (${data.alertId}) while ${open.get(key)} was open`);
      }
      open.set(key, data.alertId);
      keyOf.set(data.alertId, key);
    } else if (envelope?.type === 'alert.resolved') {
      const key = keyOf.get((envelope.data as { alertId: string }).alertId);
      if (key !== undefined) {
        open.delete(key);
      }
    }
  }
  return finding(
    'one open alert per condition (no duplicate alert.raised)',
    minimum,
    raised,
    failures,
    `${alerts.length} alert events, ${raised} raised`,
  );
}

/**
 * Ground truth: a seeded product's external id is one the simulator never serves (the served log holds every
 * answer), so each product is missing from its keyword's shelf at every crawl, and the product-missing rule
 * must raise exactly one alert for it that is never resolved. Minimum: one per seeded product.
 */
export function productMissingRaisedOnce(
  alerts: readonly StoredEvent[],
  products: readonly SeededProduct[],
  everServed: (externalId: string, keywordText: string) => boolean,
): Finding {
  const raised = new Map<string, string[]>();
  const resolved = new Set<string>();
  for (const event of alerts) {
    if (event.envelope?.type === 'alert.raised') {
      const data = event.envelope.data as RaisedData;
      if (data.alertType === 'product_missing') {
        const key = `${data.productId}/${data.keywordId}`;
        raised.set(key, [...(raised.get(key) ?? []), data.alertId]);
      }
    } else if (event.envelope?.type === 'alert.resolved') {
      resolved.add((event.envelope.data as { alertId: string }).alertId);
    }
  }
  const failures: string[] = [];
  let observed = 0;
  for (const product of products) {
    if (everServed(product.externalId, product.keywordText)) {
      failures.push(`${product.externalId} was served for "${product.keywordText}": the workload's premise broke`);
      continue;
    }
    const ids = raised.get(`${product.productId}/${product.keywordId}`) ?? [];
    const reopened = ids.filter((id) => resolved.has(id));
    if (ids.length === 1 && reopened.length === 0) {
      observed++;
    } else {
      failures.push(`${product.externalId}: product_missing raised ${ids.length} times, ${reopened.length} resolved`);
    }
  }
  return finding(
    'product missing from every served shelf: its alert raised exactly once, never resolved',
    products.length,
    observed,
    failures,
    `${products.length} products never served`,
  );
}
