import { controlCharacterIssues } from './input-safety';

describe('controlCharacterIssues', () => {
  it('names every string holding a control character, at any depth, and keys too', () => {
    const issues = controlCharacterIssues({
      name: 'ok',
      nested: { list: ['fine', 'tab\there', { deep: 'nul\u0000' }] },
      ['bad\u0001key']: 'value',
      del: 'x\u007f',
      c1: 'x\u0085',
    });
    expect(issues.map((issue) => issue.path.join('.'))).toEqual([
      'nested.list.1',
      'nested.list.2.deep',
      'bad\u0001key',
      'del',
      'c1',
    ]);
  });

  it('passes ordinary text in any script, numbers and nulls', () => {
    expect(controlCharacterIssues({ name: '무선 이어폰 — Ærø', price: 1, brand: null, tags: [] })).toEqual([]);
  });
});
