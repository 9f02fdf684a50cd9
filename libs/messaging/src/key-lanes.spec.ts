import fc from 'fast-check';
import { KeyLanes } from './key-lanes';

interface Item {
  key: string;
  seq: number;
}

function lanesOf(items: readonly Item[]): KeyLanes<Item> {
  const lanes = new KeyLanes<Item>();
  items.forEach((item) => lanes.push(item, item.key));
  return lanes;
}

const item = (key: string, seq: number): Item => ({ key, seq });

describe('KeyLanes', () => {
  it('hands out different keys to different batches and holds a key until its batch is released', () => {
    const lanes = lanesOf([item('a', 1), item('b', 2), item('a', 3), item('c', 4)]);
    const first = lanes.take(2);
    expect(first.items).toEqual([item('a', 1), item('b', 2)]);
    // a is held: a3 waits, and c (behind it, another key) is not held up by it.
    const second = lanes.take(2);
    expect(second.items).toEqual([item('c', 4)]);
    expect(lanes.take(2).items).toEqual([]);
    lanes.release(first.keys);
    expect(lanes.take(2).items).toEqual([item('a', 3)]);
  });

  it('keeps a key behind its first waiting item: a later item of that key never overtakes it', () => {
    const lanes = lanesOf([item('a', 1), item('b', 2), item('a', 3)]);
    // The batch is full after a1: b2 and a3 wait. Then a is held, and b4 joins b2's batch behind it.
    expect(lanes.take(1).items).toEqual([item('a', 1)]);
    lanes.push(item('b', 4), 'b');
    const next = lanes.take(5);
    expect(next.items).toEqual([item('b', 2), item('b', 4)]);
  });

  it('puts several items of one key in one batch, in arrival order', () => {
    const lanes = lanesOf([item('a', 1), item('a', 2), item('b', 3), item('a', 4)]);
    const batch = lanes.take(10);
    expect(batch.items.map((i) => i.seq)).toEqual([1, 2, 4, 3]);
    expect(batch.keys).toEqual(['a', 'b']);
  });

  it('hands a batch out grouped by key in key order, whatever the arrival order: every process locks keys alike', () => {
    const first = lanesOf([item('y', 1), item('x', 2), item('y', 3), item('x', 4)]).take(10);
    const second = lanesOf([item('x', 5), item('y', 6), item('x', 7), item('y', 8)]).take(10);
    expect(first.items.map((i) => i.key)).toEqual(['x', 'x', 'y', 'y']);
    expect(first.items.map((i) => i.seq)).toEqual([2, 4, 1, 3]);
    expect(second.items.map((i) => i.key)).toEqual(['x', 'x', 'y', 'y']);
    expect(first.keys).toEqual(['x', 'y']);
  });

  it('whatever the order of pushes, takes and releases: no key in two open batches, each key in order, none lost', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), key: fc.constantFrom('a', 'b', 'c', 'd') }),
      fc.record({ kind: fc.constant('take' as const), max: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('release' as const), which: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const lanes = new KeyLanes<Item>();
        const open: { items: Item[]; keys: string[] }[] = [];
        const seen = new Map<string, number[]>();
        let pushed = 0;
        const record = (batch: { items: Item[]; keys: string[] }) => {
          for (const { key } of batch.items) {
            // No key of this batch is in another open batch.
            expect(open.some((other) => other.keys.includes(key))).toBe(false);
          }
          batch.items.forEach((i) => seen.set(i.key, [...(seen.get(i.key) ?? []), i.seq]));
          // Grouped by key, keys ascending: the batch's keys, in its order, are its sorted keys.
          expect(batch.items.map((i) => i.key)).toEqual([...batch.items.map((i) => i.key)].sort());
          expect(batch.keys).toEqual([...new Set(batch.items.map((i) => i.key))]);
          if (batch.items.length > 0) {
            open.push(batch);
          }
        };
        for (const step of ops) {
          if (step.kind === 'push') {
            lanes.push(item(step.key, pushed), step.key);
            pushed += 1;
          } else if (step.kind === 'take') {
            const batch = lanes.take(step.max);
            expect(batch.items.length).toBeLessThanOrEqual(step.max);
            record(batch);
          } else if (open.length > 0) {
            const [done] = open.splice(step.which % open.length, 1);
            lanes.release(done?.keys ?? []);
          }
        }
        // Drain: release everything, take until empty.
        while (lanes.size > 0 || open.length > 0) {
          open.splice(0).forEach((batch) => lanes.release(batch.keys));
          record(lanes.take(3));
        }
        for (const seqs of seen.values()) {
          expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
        }
        expect([...seen.values()].flat()).toHaveLength(pushed);
      }),
      { numRuns: 300 },
    );
  });
});
