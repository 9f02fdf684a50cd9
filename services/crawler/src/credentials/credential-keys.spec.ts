import { randomBytes } from 'node:crypto';
import { loadCrawlerConfig } from '../crawler.config';
import { DEVELOPMENT_CREDENTIALS_KEY } from './credential-keys';

const production = {
  NODE_ENV: 'production',
  NATS_URL: 'nats://nats:4222',
  NATS_USER: 'crawler',
  NATS_PASSWORD: 'a-long-random-nats-password',
  DATABASE_URL: 'postgres://crawler:pw@db:5432/shelfwatch',
  // Only the credentials keys decide whether these load.
  NAVER_API_BASE_URL: 'http://marketplace-sim:3100',
};
const strong = (id: string): string => `${id}:${randomBytes(32).toString('base64')}`;

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return String(error);
  }
  return '';
}

describe('CRAWLER_CREDENTIALS_KEYS', () => {
  it('takes an ordered list: the first seals, all are kept', () => {
    const config = loadCrawlerConfig({ ...production, CRAWLER_CREDENTIALS_KEYS: `${strong('k2')}, ${strong('k1')}` });

    expect(config.credentialKeys.map((key) => key.id)).toEqual(['k2', 'k1']);
    expect(JSON.stringify(config.credentialKeys)).not.toMatch(/[A-Za-z0-9+/]{40}/);
  });

  it('uses a fixed development key outside production when unset', () => {
    expect(loadCrawlerConfig({}).credentialKeys.map((key) => key.id)).toEqual(['dev']);
    expect(loadCrawlerConfig({}).credentialKeys[0]?.key.reveal()).toBe(DEVELOPMENT_CREDENTIALS_KEY.slice(4));
  });

  it.each([
    ['unset', undefined],
    ['the development key', DEVELOPMENT_CREDENTIALS_KEY],
    ['a key of zeros', `k1:${Buffer.alloc(32).toString('base64')}`],
    ['a repeated pattern', `k1:${Buffer.from('0123456789abcdef'.repeat(2)).toString('base64')}`],
  ])('refuses to start in production with %s, naming the variable and never the key', (_what, value) => {
    const message = messageOf(() => loadCrawlerConfig({ ...production, CRAWLER_CREDENTIALS_KEYS: value }));

    expect(message).toContain('CRAWLER_CREDENTIALS_KEYS');
    for (const key of value?.match(/[A-Za-z0-9+/]{16,}/g) ?? []) {
      expect(message).not.toContain(key.slice(0, 16));
    }
  });

  it.each([
    ['a key that is not 32 bytes', `k1:${randomBytes(16).toString('base64')}`],
    ['an entry without an id', randomBytes(32).toString('base64')],
    ['a key id twice', `${strong('k1')},${strong('k1')}`],
    ['no key at all', ' , '],
  ])('refuses %s in any environment', (_what, value) => {
    const message = messageOf(() => loadCrawlerConfig({ CRAWLER_CREDENTIALS_KEYS: value }));

    expect(message).toContain('CRAWLER_CREDENTIALS_KEYS');
    for (const key of value.match(/[A-Za-z0-9+/]{16,}/g) ?? []) {
      expect(message).not.toContain(key.slice(0, 16));
    }
  });
});
