import { loadGatewayConfig } from './gateway.config';

describe('gateway configuration: trusted proxies', () => {
  it('trusts no proxy by default, so X-Forwarded-For never picks the client address', () => {
    expect(loadGatewayConfig({}).trustedProxies).toEqual([]);
  });

  it('takes addresses and CIDR ranges, and refuses anything else naming the variable', () => {
    expect(loadGatewayConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1,fd00::/8' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '192.0.2.1',
      'fd00::/8',
    ]);
    for (const bad of ['true', '*', '10.0.0.0/33', 'ingress.local', '10.0.0.1/8/2']) {
      expect(() => loadGatewayConfig({ TRUSTED_PROXIES: bad })).toThrow('TRUSTED_PROXIES');
    }
  });
});
