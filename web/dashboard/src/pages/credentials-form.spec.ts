import { credentialLabels } from './credentials-form';

describe('the credentials form of each marketplace', () => {
  it("names the parts as the marketplace's developer console does", () => {
    expect(credentialLabels('naver')).toMatchObject({ id: 'Client id', secret: 'Client secret' });
    expect(credentialLabels('ebay')).toMatchObject({ id: 'App ID (client id)', secret: 'Cert ID (client secret)' });
    expect(credentialLabels('rakuten')).toMatchObject({ id: 'Application id', secret: 'Access key' });
  });

  it("lets a Rakuten seller leave the access key out (the documented host needs none), never Naver's or eBay's secret", () => {
    expect(credentialLabels('rakuten').secretOptional).toBe(true);
    expect(credentialLabels('naver').secretOptional).toBe(false);
    expect(credentialLabels('ebay').secretOptional).toBe(false);
  });
});
