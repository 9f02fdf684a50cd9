import { Injectable } from '@nestjs/common';
import { JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { STREAMS } from '@shelfwatch/contracts';
import { NatsLink, Topology } from '@shelfwatch/messaging';

/** A consumer with what it still has to process. */
export interface ConsumerLag {
  durable: string;
  stream: string;
  /** Messages not yet delivered plus delivered but unacknowledged. */
  lag: number;
}

/** What JetStream says about the platform's streams. */
export interface JetStreamState {
  streams: number;
  missingStreams: string[];
  consumers: ConsumerLag[];
  deadLetters: number;
  /** Subjects of the newest parked messages (at most a few), to say where they come from. */
  deadLetterSubjects: string[];
  lastCrawlCompletedAt: number | null;
  lastCrawlRequestedAt: number | null;
}

/** Reads stream and consumer state through the JetStream API of the health service's own connection. */
@Injectable()
export class JetStreamInspector {
  private jsm: JetStreamManager | undefined;

  constructor(
    private readonly link: NatsLink,
    private readonly topology: Topology,
  ) {}

  async inspect(): Promise<JetStreamState> {
    this.jsm ??= await jetstreamManager(this.link.connection);
    const jsm = this.jsm;
    const state: JetStreamState = {
      streams: 0,
      missingStreams: [],
      consumers: [],
      deadLetters: 0,
      deadLetterSubjects: [],
      lastCrawlCompletedAt: null,
      lastCrawlRequestedAt: null,
    };
    for (const definition of Object.values(STREAMS)) {
      const name = this.topology.streamName(definition);
      const info = await jsm.streams.info(name).catch(() => null);
      if (!info) {
        state.missingStreams.push(definition.name);
        continue;
      }
      state.streams += 1;
      if (definition.name === STREAMS.DEADLETTER.name) {
        state.deadLetters = info.state.messages;
        state.deadLetterSubjects = await this.lastSubjects(jsm, name, info.state.last_seq, info.state.messages);
      }
      for (const consumer of await jsm.consumers.list(name).next()) {
        state.consumers.push({
          durable: consumer.name,
          stream: definition.name,
          lag: consumer.num_pending + consumer.num_ack_pending,
        });
      }
    }
    const crawl = this.topology.streamName(STREAMS.CRAWL);
    state.lastCrawlCompletedAt = await this.lastTime(jsm, crawl, 'crawl.completed');
    state.lastCrawlRequestedAt = await this.lastTime(jsm, crawl, 'crawl.requested');
    return state;
  }

  private async lastTime(jsm: JetStreamManager, stream: string, type: string): Promise<number | null> {
    const message = await jsm.streams
      .getMessage(stream, { last_by_subj: this.topology.subject(type) })
      .catch(() => null);
    return message ? message.time.getTime() : null;
  }

  private async lastSubjects(jsm: JetStreamManager, stream: string, lastSeq: number, count: number): Promise<string[]> {
    const subjects = new Set<string>();
    for (let seq = lastSeq; seq > 0 && seq > lastSeq - Math.min(count, 3); seq--) {
      const message = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (message) {
        subjects.add(this.topology.typeOf(message.subject));
      }
    }
    return [...subjects];
  }
}
