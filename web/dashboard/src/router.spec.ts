import { parseHash } from './router';

describe('routes', () => {
  it('reads the page, its id and its parameters from the hash', () => {
    const route = parseHash('#/keyword/0193a1b2-0000-7000-8000-000000000001?product=p1&at=2026-11-22T10%3A00%3A00Z');
    expect(route.page).toBe('keyword');
    expect(route.params.get('id')).toBe('0193a1b2-0000-7000-8000-000000000001');
    expect(route.params.get('product')).toBe('p1');
    expect(route.params.get('at')).toBe('2026-11-22T10:00:00Z');
  });

  it('opens the products page when there is no hash', () => {
    expect(parseHash('').page).toBe('products');
    expect(parseHash('#/').page).toBe('products');
    expect(parseHash('#/alerts?status=raised').params.get('status')).toBe('raised');
  });
});
