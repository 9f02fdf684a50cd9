import { AlertHistoryEntry, AlertStatus } from '@shelfwatch/contracts';
import { ResolveReason } from './crawl-evaluation';

/** One event of an alert's life, as stored in its history and published. */
export type AlertLifeEvent =
  | { type: 'alert.raised'; at: string; eventId: string }
  | { type: 'alert.acknowledged'; at: string; eventId: string }
  | { type: 'alert.resolved'; at: string; eventId: string; reason: ResolveReason };

/** An alert's state: a fold of its events. */
export interface AlertState {
  status: AlertStatus;
  raisedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  resolvedReason: ResolveReason | null;
  history: AlertHistoryEntry[];
}

/** Applies one event to an alert's state (null before it was raised). Pure; events arrive in order. */
export function evolve(state: AlertState | null, event: AlertLifeEvent): AlertState {
  const history = [...(state?.history ?? []), { type: event.type, at: event.at, eventId: event.eventId }];
  switch (event.type) {
    case 'alert.raised':
      return {
        status: 'raised',
        raisedAt: event.at,
        acknowledgedAt: null,
        resolvedAt: null,
        resolvedReason: null,
        history,
      };
    case 'alert.acknowledged':
      return { ...requireState(state, event), status: 'acknowledged', acknowledgedAt: event.at, history };
    case 'alert.resolved':
      return {
        ...requireState(state, event),
        status: 'resolved',
        resolvedAt: event.at,
        resolvedReason: event.reason,
        history,
      };
    default: {
      const unknown: never = event;
      throw new Error(`unknown alert event ${JSON.stringify(unknown)}`);
    }
  }
}

/** Rebuilds an alert's state from its events. */
export function replay(events: readonly AlertLifeEvent[]): AlertState | null {
  return events.reduce<AlertState | null>((state, event) => evolve(state, event), null);
}

function requireState(state: AlertState | null, event: AlertLifeEvent): AlertState {
  if (state === null) {
    throw new Error(`${event.type} before alert.raised`);
  }
  return state;
}

/** What acknowledging an alert in a given state does. */
export type AckDecision =
  { kind: 'acknowledge' } | { kind: 'already_acknowledged' } | { kind: 'refused'; reason: string };

/**
 * Acknowledge: a raised alert becomes acknowledged; acknowledging twice is a no-op (a retried request must
 * not fail); a resolved alert cannot be acknowledged any more.
 */
export function decideAck(state: Pick<AlertState, 'status'>): AckDecision {
  switch (state.status) {
    case 'raised':
      return { kind: 'acknowledge' };
    case 'acknowledged':
      return { kind: 'already_acknowledged' };
    case 'resolved':
      return { kind: 'refused', reason: 'the alert is already resolved' };
    default: {
      const unknown: never = state.status;
      throw new Error(`unknown alert status ${String(unknown)}`);
    }
  }
}
