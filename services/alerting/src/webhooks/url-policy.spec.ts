import { DEFAULT_WEBHOOK_PORTS } from '../alerting.config';
import { UrlPolicy, WebhookUrlRefused, parseWebhookUrl } from './url-policy';
import { HostResolver, vetWebhookUrl } from './webhook-target';

const allowedPorts = new Set(DEFAULT_WEBHOOK_PORTS);
const production: UrlPolicy = { requireHttps: true, allowLoopback: false, allowedPorts };
const development: UrlPolicy = { requireHttps: false, allowLoopback: false, allowedPorts };
const tests: UrlPolicy = { requireHttps: false, allowLoopback: true, allowedPorts };

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
  localhost: ['127.0.0.1'],
  'hooks.example.com': ['93.184.216.34'],
  'internal.example.com': ['10.1.2.3'],
  'mixed.example.com': ['93.184.216.34', '192.168.1.10'],
  'v6private.example.com': ['fd12::1'],
  'metadata.example.com': ['169.254.169.254'],
  'mapped.example.com': ['::ffff:127.0.0.1'],
  'compatible.example.com': ['::7f00:1'],
  'nat64.example.com': ['64:ff9b::a00:1'],
});

async function refusalOf(url: string, policy: UrlPolicy = development): Promise<WebhookUrlRefused | null> {
  try {
    await vetWebhookUrl(url, policy, dns);
    return null;
  } catch (error) {
    if (error instanceof WebhookUrlRefused) {
      return error;
    }
    throw error;
  }
}

async function reasonFor(url: string, policy: UrlPolicy = development): Promise<string> {
  return (await refusalOf(url, policy))?.reason ?? 'accepted';
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
    ['http://[2002:a00:1::]', 'reserved_address'],
    ['http://[64:ff9b::7f00:1]', 'reserved_address'],
    ['http://[64:ff9b:1::a00:1]', 'reserved_address'],
    ['http://[2001:0:7f00:1::]', 'reserved_address'],
    ['http://[::ffff:0:7f00:1]', 'reserved_address'],
    ['http://[::7f00:1]', 'loopback_address'],
    ['http://[::127.0.0.1]', 'loopback_address'],
    ['http://[::a00:1]', 'private_address'],
    ['http://[::c0a8:101]', 'private_address'],
    ['http://[::a9fe:a9fe]', 'cloud_metadata_address'],
    ['http://[::5db8:d822]', 'reserved_address'],
    ['http://[0:0:0:0:0:ffff:10.0.0.1]', 'private_address'],
    ['http://hooks.example.com:25/hook', 'port_not_allowed'],
    ['http://hooks.example.com:6379/', 'port_not_allowed'],
    ['https://hooks.example.com:22/', 'port_not_allowed'],
    ['http://hooks.example.com:0/', 'port_not_allowed'],
    ['http://93.184.216.34:5432/', 'port_not_allowed'],
    ['http://compatible.example.com/hook', 'loopback_address'],
    ['http://nat64.example.com/hook', 'reserved_address'],
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

  it('accepts the allowed ports, written or implied by the scheme', async () => {
    for (const url of [
      'https://hooks.example.com/x',
      'https://hooks.example.com:443/x',
      'https://hooks.example.com:8443/x',
      'http://hooks.example.com:8080/x',
      'http://hooks.example.com:80/x',
    ]) {
      expect(await reasonFor(url)).toBe('accepted');
    }
  });

  it('takes the ports from the policy, and lets only loopback targets use others when loopback is allowed', async () => {
    const custom: UrlPolicy = { ...development, allowedPorts: new Set([9443]) };
    expect(await reasonFor('https://hooks.example.com:9443/x', custom)).toBe('accepted');
    expect(await reasonFor('https://hooks.example.com/x', custom)).toBe('port_not_allowed');
    expect(await reasonFor('http://localhost:4000/hook', tests)).toBe('accepted');
    expect(await reasonFor('http://mapped.example.com:4000/hook', tests)).toBe('accepted');
    expect(await reasonFor('http://hooks.example.com:4000/hook', tests)).toBe('port_not_allowed');
    expect(await reasonFor('http://mixed.example.com:4000/hook', tests)).toBe('private_address');
    expect(await reasonFor('http://127.0.0.1:4000/hook', development)).toBe('loopback_address');
  });

  it('does not tell what a name resolves to inside', async () => {
    for (const [url, address] of [
      ['http://internal.example.com/hook', '10.1.2.3'],
      ['http://mixed.example.com/hook', '192.168.1.10'],
      ['http://v6private.example.com/hook', 'fd12::1'],
      ['http://metadata.example.com/hook', '169.254.169.254'],
    ] as const) {
      const refusal = await refusalOf(url);
      expect(refusal?.message).toContain('resolves to a private or reserved address');
      expect(refusal?.message).not.toContain(address);
    }
  });

  it('names the reason and what was seen in the message', () => {
    expect(() => parseWebhookUrl('http://0x7f.1', development)).toThrow(
      'webhook URL refused: loopback_address (127.0.0.1)',
    );
  });
});
