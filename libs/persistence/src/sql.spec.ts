import { placeholders, tuples } from './sql';

describe('placeholders and tuples', () => {
  it('writes one ? per value, separated by commas', () => {
    expect(placeholders(1)).toBe('?');
    expect(placeholders(3)).toBe('?, ?, ?');
  });

  it('writes rows of column placeholders', () => {
    expect(tuples(2, 3)).toBe('(?, ?, ?), (?, ?, ?)');
    expect(tuples(1, 1)).toBe('(?)');
  });

  it('writes nothing for no values', () => {
    expect(placeholders(0)).toBe('');
    expect(tuples(0, 3)).toBe('');
  });
});
