import { DeadLettersUsageError, parseDeadLettersArgs } from './dead-letters';

describe('dead-letters arguments', () => {
  it('lists the newest 20 by default, or of one consumer, from a cursor', () => {
    expect(parseDeadLettersArgs(['list'])).toEqual({ action: 'list', consumer: undefined, limit: 20 });
    expect(parseDeadLettersArgs(['list', '--consumer', 'ranking-tracking', '--limit', '5', '--cursor', '9'])).toEqual({
      action: 'list',
      consumer: 'ranking-tracking',
      limit: 5,
      cursor: '9',
    });
  });

  it('shows and replays by sequence', () => {
    expect(parseDeadLettersArgs(['show', '12'])).toEqual({ action: 'show', sequence: 12 });
    expect(parseDeadLettersArgs(['replay', '7'])).toEqual({ action: 'replay', sequence: 7 });
  });

  it.each([[[]], [['replay']], [['replay', '0']], [['replay', '1e3']], [['replay', '3', '4']], [['drop', '3']]])(
    'refuses %j with the usage',
    (argv) => {
      expect(() => parseDeadLettersArgs(argv)).toThrow(/usage: dead-letters/);
    },
  );

  it('refuses unknown options and an absurd limit', () => {
    expect(() => parseDeadLettersArgs(['list', '--all'])).toThrow(DeadLettersUsageError);
    expect(() => parseDeadLettersArgs(['list', '--limit', '0'])).toThrow(/--limit/);
    expect(() => parseDeadLettersArgs(['list', '--limit', 'all'])).toThrow(/--limit/);
    expect(() => parseDeadLettersArgs(['list', '--limit', '101'])).toThrow(/--limit/);
  });
});
