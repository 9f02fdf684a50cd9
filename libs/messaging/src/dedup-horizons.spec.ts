import { defaultInboxPrunerOptions } from './inbox-pruner';
import { defaultRelayOptions } from './outbox-relay';
import { defaultStreamSettings } from './provisioning';
import { FAILOVER_ALLOWANCE_MS, checkDedupHorizons, relayRepublishHorizonMs } from './dedup-horizons';

const defaults = {
  duplicateWindowMs: defaultStreamSettings.duplicateWindowMs,
  relayMaxBackoffMs: defaultRelayOptions.maxBackoffMs,
  inboxRetainMs: defaultInboxPrunerOptions.retainMs,
};

describe('de-duplication horizons', () => {
  it('the default duplicate window covers the relay re-publishing after a 10-minute failover', () => {
    expect(relayRepublishHorizonMs(defaults.relayMaxBackoffMs)).toBeGreaterThan(FAILOVER_ALLOWANCE_MS);
    expect(defaults.duplicateWindowMs).toBeGreaterThanOrEqual(relayRepublishHorizonMs(defaults.relayMaxBackoffMs));
    expect(() => checkDedupHorizons(defaults)).not.toThrow();
  });

  it('refuses a duplicate window shorter than the relay re-publish horizon', () => {
    expect(() => checkDedupHorizons({ ...defaults, duplicateWindowMs: 2 * 60_000 })).toThrow(/duplicate window/);
  });

  it('refuses a relay back-off that pushes its horizon past the duplicate window', () => {
    expect(() => checkDedupHorizons({ ...defaults, relayMaxBackoffMs: 15 * 60_000 })).toThrow(/re-publish horizon/);
  });

  it('refuses an inbox that forgets event ids before JetStream does', () => {
    expect(() => checkDedupHorizons({ ...defaults, inboxRetainMs: 5 * 60_000 })).toThrow(/inbox retention/);
  });
});
