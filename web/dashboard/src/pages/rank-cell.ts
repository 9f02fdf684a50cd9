import { h } from '../dom';
import { rankView } from '../format';
import type { OrderFidelity } from '../types';

/**
 * A rank as shown in tables and lines: "#3", or "≈ #3" with its explanation on hover (title) and, since a title is not
 * read out everywhere, as text for screen readers.
 */
export function rankCell(rank: number, fidelity: OrderFidelity | undefined, marketplaceName: string): HTMLElement {
  const view = rankView(rank, fidelity, marketplaceName);
  if (view.note === null) {
    return h('span', { class: 'rank-value' }, view.text);
  }
  return h(
    'span',
    { class: 'rank-value approximate', title: view.note },
    view.text,
    h('span', { class: 'sr-only' }, ` (approximate: ${view.note})`),
  );
}
