import { ephemeralPorts, freePorts, randomPortBelowEphemeral } from '@shelfwatch/testing';

describe('free ports for services a test starts', () => {
  it('are distinct and below the range the kernel gives outgoing connections', async () => {
    const { low } = ephemeralPorts();
    const ports = await freePorts(20);
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(low);
    }
  });

  it('leave room for a block of ports below the range', () => {
    const { low } = ephemeralPorts();
    for (let i = 0; i < 1_000; i++) {
      expect(randomPortBelowEphemeral(100) + 100).toBeLessThan(low);
    }
  });
});
