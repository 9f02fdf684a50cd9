import { loadDeadLettersConfig } from './cli.config';
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

describe('dead-letters configuration', () => {
  const load = (env: Record<string, string>) => () => loadDeadLettersConfig({ ADMIN_API_KEY: 'k'.repeat(32), ...env });

  it('calls the local gateway by default', () => {
    expect(load({})().gatewayUrl).toBe('http://127.0.0.1:3000');
  });

  it('refuses to send the admin key in clear over a network in production, and runs without the key nowhere', () => {
    expect(load({ NODE_ENV: 'production', SHELFWATCH_GATEWAY_URL: 'http://gateway.internal:3000' })).toThrow(
      /SHELFWATCH_GATEWAY_URL.*https/,
    );
    expect(load({ NODE_ENV: 'production', SHELFWATCH_GATEWAY_URL: 'https://api.shelfwatch.dev' })().gatewayUrl).toBe(
      'https://api.shelfwatch.dev',
    );
    expect(load({ NODE_ENV: 'production', SHELFWATCH_GATEWAY_URL: 'http://127.0.0.1:3000' })().gatewayUrl).toBe(
      'http://127.0.0.1:3000',
    );
    expect(load({ SHELFWATCH_GATEWAY_URL: 'ftp://gateway' })).toThrow(/SHELFWATCH_GATEWAY_URL/);
    expect(() => loadDeadLettersConfig({})).toThrow(/ADMIN_API_KEY/);
  });
});
