import { parseSearchParams } from './search-params';

const codeOf = (raw: Record<string, unknown>): string => {
  const parsed = parseSearchParams(raw);
  return parsed.ok ? 'ok' : parsed.error.kind;
};

describe('parseSearchParams', () => {
  it('applies Naver defaults: display 10, start 1, sort sim, no filter', () => {
    expect(parseSearchParams({ query: 'desk' })).toEqual({
      ok: true,
      params: { query: 'desk', display: 10, start: 1, sort: 'sim', filter: { naverPayOnly: false, exclude: [] } },
    });
  });

  it.each([
    [{}, 'SE01'],
    [{ query: '  ' }, 'SE01'],
    [{ query: 'a\uFFFDb' }, 'SE06'],
    [{ query: 'a', display: '0' }, 'SE02'],
    [{ query: 'a', display: '101' }, 'SE02'],
    [{ query: 'a', display: 'ten' }, 'SE02'],
    [{ query: 'a', start: '0' }, 'SE03'],
    [{ query: 'a', start: '1001' }, 'SE03'],
    [{ query: 'a', sort: 'price' }, 'SE04'],
    [{ query: 'a', filter: 'free' }, 'SE01'],
    [{ query: 'a', exclude: 'used:new' }, 'SE01'],
    [{ query: 'a', display: '100', start: '1000', sort: 'dsc', filter: 'naverpay', exclude: 'used:cbshop' }, 'ok'],
    [{ query: ['a', 'b'], display: ['5', '500'] }, 'ok'],
  ])('%j -> %s', (raw, code) => {
    expect(codeOf(raw)).toBe(code);
  });
});
