import { numberedPlaceholders, placeholders, tuples } from './sql';

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

describe('numberedPlaceholders', () => {
  it('numbers every ? in order, casts and all', () => {
    expect(numberedPlaceholders('insert into t (a, b) values (?, ?::uuid), (?, ?) returning ?')).toBe(
      'insert into t (a, b) values ($1, $2::uuid), ($3, $4) returning $5',
    );
    expect(numberedPlaceholders(`with x as (select ${tuples(2, 2)}) select pg_notify(?, '')`)).toBe(
      "with x as (select ($1, $2), ($3, $4)) select pg_notify($5, '')",
    );
  });

  it('refuses an identifier placeholder, which cannot be bound', () => {
    expect(() => numberedPlaceholders('select ?? from t where a = ?')).toThrow(/identifier/);
  });
});
