import { deadLetterRequest } from '@shelfwatch/contracts';
import { DeadLetterError, DeadLetterErrorCode, DeadLetterStore } from './dead-letter-store';
import { MessageProcessor, NotReplayableError, Outcome } from './message-processor';
import { CodedRefusal, answerRequest } from './rpc';
import { Topology } from './topology';

/** What a replay did. */
export interface DeadLetterReplay {
  sequence: number;
  consumer: string;
  eventId: string | null;
  /** `handled`: applied now; `duplicate`: the consumer had applied this event before, nothing applied again. */
  outcome: Outcome;
}

/** The request/reply subject on which `service` replays the dead letters of its own consumers. */
export function deadLetterReplaySubject(service: string): string {
  return `${service}.dead-letters.replay`;
}

/** RPC error codes of the dead-letter refusals, for the services that answer or forward them. */
export function deadLetterRefusal(error: unknown): CodedRefusal | undefined {
  if (!(error instanceof DeadLetterError)) {
    return undefined;
  }
  switch (error.code) {
    case DeadLetterErrorCode.NotFound:
    case DeadLetterErrorCode.NotADeadLetter:
    case DeadLetterErrorCode.NotOwnConsumer:
      return { code: 'not_found', message: error.message };
    case DeadLetterErrorCode.ReplayFailed:
      return { code: 'replay_failed', message: error.message };
    default: {
      const unknown: never = error.code;
      throw new Error(`unknown dead-letter error ${String(unknown)}`);
    }
  }
}

/**
 * Replays a service's own dead letters in the service itself: the parked message goes through its consumer's
 * processor as a delivery would (an event already applied is a duplicate and applies nothing), and leaves
 * DEADLETTER only once applied. A failing handler leaves it parked and answers why.
 */
export class DeadLetterReplayer {
  constructor(
    private readonly store: DeadLetterStore,
    private readonly topology: Topology,
    private readonly processors: ReadonlyMap<string, MessageProcessor>,
  ) {}

  /** Answers a `<service>.dead-letters.replay` request. */
  answer(payload: unknown): Promise<DeadLetterReplay> {
    return answerRequest(deadLetterRequest, payload, ({ sequence }) => this.replay(sequence), deadLetterRefusal);
  }

  async replay(sequence: number): Promise<DeadLetterReplay> {
    const parked = await this.store.parked(sequence);
    const { consumer, eventId } = parked.summary;
    const processor = this.processors.get(consumer);
    // The consumer header alone proves nothing: the subject does, as only the consumer's service may publish there.
    if (!processor || !parked.parkedOn.startsWith(this.topology.subject(`deadletter.${consumer}.`))) {
      throw new DeadLetterError(
        DeadLetterErrorCode.NotOwnConsumer,
        `dead letter ${sequence} was not parked by a consumer of this service`,
      );
    }
    let outcome: Outcome;
    try {
      outcome = await processor.reapply(parked);
    } catch (error) {
      const reason = error instanceof NotReplayableError ? error.message : `handler failed again: ${messageOf(error)}`;
      throw new DeadLetterError(DeadLetterErrorCode.ReplayFailed, `dead letter ${sequence} stays parked: ${reason}`);
    }
    await this.store.remove(sequence);
    return { sequence, consumer, eventId, outcome };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
