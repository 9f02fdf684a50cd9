import fc from 'fast-check';
import { entriesInKeyOrder, inKeyOrder } from './key-order';

describe('key order', () => {
  it('is the same whatever order the rows were collected in', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 40 }), fc.nat(), (keys, seed) => {
        const rotated = [...keys.slice(seed % keys.length), ...keys.slice(0, seed % keys.length)].reverse();
        const collect = (order: string[]) => new Map(order.map((key) => [key, { key }]));
        const values = inKeyOrder(collect(keys));
        expect(inKeyOrder(collect(rotated))).toEqual(values);
        expect(entriesInKeyOrder(collect(rotated)).map(([key]) => key)).toEqual(values.map((v) => v.key));
        // Code-unit order, as `<` compares strings: ascending.
        values.slice(1).forEach((value, index) => expect((values[index]?.key ?? '') < value.key).toBe(true));
      }),
    );
  });
});
