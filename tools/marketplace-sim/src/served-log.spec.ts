import { makeControl } from '../test/fixtures';
import { searchPage } from './search.route';

const params = { query: 'Wireless  Earbuds', display: 100, start: 1, sort: 'sim' as const, filter: {} };

describe('the served log', () => {
  it('records nothing until enabled', () => {
    const { control } = makeControl();
    searchPage(control, params);
    expect(control.served.answer('wireless earbuds', control.now())).toBeUndefined();
  });

  it('merges the pages served for a query at a simulated moment by rank, as the query is counted', () => {
    const { control } = makeControl();
    control.served.enable(true);
    control.setClock({ now: '2026-11-22T00:00:00Z' });
    const first = searchPage(control, params);
    const second = searchPage(control, { ...params, start: 101 });
    searchPage(control, params);
    const answer = control.served.answer('wireless earbuds', new Date('2026-11-22T00:00:00Z'));
    const served = [...first.items, ...second.items].map((item) => item.productId);
    expect(answer?.items.map((item) => item.productId)).toEqual(served);
    expect(answer?.items.map((item) => item.rank)).toEqual(served.map((_, i) => i + 1));
    expect(answer).toMatchObject({ answers: 3, conflicts: 0 });
    expect(control.served.answer('wireless earbuds', new Date('2026-11-22T01:00:00Z'))).toBeUndefined();
  });

  it('counts a rank served with another price at the same moment as a conflict', () => {
    const { control } = makeControl();
    control.served.enable(true);
    control.setClock({ now: '2026-11-22T00:00:00Z' });
    const page = searchPage(control, params);
    control.setPrice({ productId: page.items[0]?.productId, price: 1 });
    searchPage(control, params);
    expect(control.served.answer(params.query, control.now())?.conflicts).toBe(1);
  });
});
