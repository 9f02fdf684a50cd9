import { UrlPolicy, WebhookUrlRefused, parseWebhookUrl } from './url-policy';
import { HostResolver, vetWebhookUrl } from './webhook-target';

const production: UrlPolicy = { requireHttps: true, allowLoopback: false };
const development: UrlPolicy = { requireHttps: false, allowLoopback: false };
const tests: UrlPolicy = { requireHttps: false, allowLoopback: true };

/** A resolver answering from a table; unknown names fail like ENOTFOUND. */
function resolverOf(table: Record<string, string[]>): HostResolver {
  return {
    resolve: (host) => {
      const answer = table[host];
      return answer
        ? Promise.resolve(answer)
        : Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    },
  };
}

const dns = resolverOf({
  'hooks.example.com': ['93.184.216.34'],
  'internal.example.com': ['10.1.2.3'],
  'mixed.example.com': ['93.184.216.34', '192.168.1.10'],
  'v6private.example.com': ['fd12::1'],
  'metadata.example.com': ['169.254.169.254'],
  'mapped.example.com': ['::ffff:127.0.0.1'],
});

async function reasonFor(url: string, policy: UrlPolicy = development): Promise<string> {
  try {
    await vetWebhookUrl(url, policy, dns);
    return 'accepted';
  } catch (error) {
    if (error instanceof WebhookUrlRefused) {
      return error.reason;
    }
    throw error;
  }
}

describe('webhook URL policy (SSRF)', () => {
  it.each([
    ['http://127.0.0.1', 'loopback_address'],
    ['http://[::1]', 'loopback_address'],
    ['http://169.254.169.254', 'cloud_metadata_address'],
    ['http://169.254.169.254/latest/meta-data/', 'cloud_metadata_address'],
    ['http://10.0.0.1', 'private_address'],
    ['http://2130706433', 'loopback_address'],
    ['http://0x7f.1', 'loopback_address'],
    ['http://0177.0.0.1', 'loopback_address'],
    ['http://127.1', 'loopback_address'],
    ['http://%31%32%37.0.0.1/', 'loopback_address'],
    ['http://2852039166', 'cloud_metadata_address'],
    ['http://0xa9fea9fe', 'cloud_metadata_address'],
    ['http://[::ffff:169.254.169.254]', 'cloud_metadata_address'],
    ['http://[::ffff:7f00:1]', 'loopback_address'],
    ['http://[fd00:ec2::254]', 'cloud_metadata_address'],
    ['http://[fd00::1]', 'private_address'],
    ['http://[fe80::1]', 'link_local_address'],
    ['http://169.254.1.1', 'link_local_address'],
    ['http://172.16.5.4', 'private_address'],
    ['http://192.168.0.1', 'private_address'],
    ['http://100.64.0.1', 'private_address'],
    ['http://224.0.0.1', 'multicast_address'],
    ['http://[ff02::1]', 'multicast_address'],
    ['http://0.0.0.0', 'reserved_address'],
    ['http://[::]', 'reserved_address'],
    ['http://255.255.255.255', 'reserved_address'],
    ['http://[2002:7f00:1::]', 'reserved_address'],
    ['http://[64:ff9b::7f00:1]', 'reserved_address'],
    ['http://localhost:8080', 'loopback_address'],
    ['http://api.localhost', 'loopback_address'],
    ['http://metadata.google.internal', 'internal_host_name'],
    ['http://redis:6379', 'internal_host_name'],
    ['http://internal.example.com/hook', 'private_address'],
    ['http://mixed.example.com/hook', 'private_address'],
    ['http://v6private.example.com/hook', 'private_address'],
    ['http://metadata.example.com/hook', 'cloud_metadata_address'],
    ['http://mapped.example.com/hook', 'loopback_address'],
    ['http://nowhere.example.com/hook', 'unresolvable_host'],
    ['http://user:pass@hooks.example.com/hook', 'credentials_in_url'],
    ['file:///etc/passwd', 'scheme_not_allowed'],
    ['gopher://hooks.example.com/', 'scheme_not_allowed'],
    ['not a url', 'invalid_url'],
  ])('refuses %s as %s', async (url, reason) => {
    expect(await reasonFor(url)).toBe(reason);
  });

  it('accepts a public name and pins the address it resolved to', async () => {
    await expect(vetWebhookUrl('https://hooks.example.com/x', production, dns)).resolves.toMatchObject({
      host: 'hooks.example.com',
      address: '93.184.216.34',
      family: 4,
    });
  });

  it('in production, refuses plain http even to a public address', async () => {
    expect(await reasonFor('http://hooks.example.com/x', production)).toBe('scheme_not_allowed');
  });

  it('allows loopback only when configured to, and nothing else besides', async () => {
    expect(await reasonFor('http://127.0.0.1:4000/hook', tests)).toBe('accepted');
    expect(await reasonFor('http://[::1]:4000/hook', tests)).toBe('accepted');
    expect(await reasonFor('http://10.0.0.1/hook', tests)).toBe('private_address');
    expect(await reasonFor('http://169.254.169.254/', tests)).toBe('cloud_metadata_address');
  });

  it('names the reason and what was seen in the message', () => {
    expect(() => parseWebhookUrl('http://0x7f.1', development)).toThrow(
      'webhook URL refused: loopback_address (127.0.0.1)',
    );
  });
});
