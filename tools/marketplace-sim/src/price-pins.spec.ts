import { groundTruth } from './ground-truth';
import { searchPage } from './search.route';
import { SimulatorControl } from './simulator-control';
import { Catalogue } from './catalogue';

const SEED = 11;
const AT = '2026-11-22T01:00:00Z';

describe('pinned prices', () => {
  it('serves a pinned price for one product on its shelf and in the truth, until unpinned or reset', () => {
    const control = new SimulatorControl(SEED, new Catalogue(SEED));
    control.setClock({ now: AT });
    const [first, second] = groundTruth(SEED, 'desk lamp', new Date(AT));
    expect(first).toBeDefined();
    control.setPrice({ productId: first?.productId, price: 1 });
    const page = searchPage(control, { query: 'desk lamp', display: 10, start: 1, sort: 'sim', filter: {} });
    expect(page.items[0]?.lprice).toBe('1');
    expect(page.items[1]?.lprice).toBe(second?.lprice === 0 ? '' : String(second?.lprice));
    expect(control.truth('desk lamp')[0]?.lprice).toBe(1);
    control.setPrice({ productId: first?.productId, price: null });
    expect(control.truth('desk lamp')[0]?.lprice).toBe(first?.lprice);
    control.setPrice({ productId: first?.productId, price: 5 });
    control.reset();
    expect(control.prices()).toEqual({});
    expect(() => control.setPrice({ productId: 'x', price: -1 })).toThrow(
      'price must be a non-negative integer or null',
    );
  });
});
