import { Injectable } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { STREAMS, StreamName } from '@shelfwatch/contracts';
import { NatsLink, Topology, setStreamMaxAge } from '@shelfwatch/messaging';

/** Keeps the max_age of the streams whose events a policy governs in line with it (TRACKING never expires). */
@Injectable()
export class StreamAges {
  constructor(
    private readonly link: NatsLink,
    private readonly topology: Topology,
  ) {}

  /** Applies the ages; answers the streams that changed. */
  async apply(ages: Partial<Record<StreamName, number>>): Promise<StreamName[]> {
    const jsm = await jetstreamManager(this.link.connection);
    const changed: StreamName[] = [];
    for (const [stream, days] of Object.entries(ages) as [StreamName, number][]) {
      if (await setStreamMaxAge(jsm, this.topology, STREAMS[stream], days)) {
        changed.push(stream);
      }
    }
    return changed;
  }
}
