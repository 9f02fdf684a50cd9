import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { jetstreamManager } from '@nats-io/jetstream';
import { HEALTH_RPC, deadLetterRequest, deadLettersListRequest, RpcAnswer } from '@shelfwatch/contracts';
import {
  ContractPipe,
  DeadLetterError,
  DeadLetterErrorCode,
  DeadLetterReplay,
  DeadLetterStore,
  NatsLink,
  RefusalFilter,
  RpcClientProxy,
  RpcHandlerError,
  RpcRemoteError,
  Topology,
  deadLetterRefusal,
  deadLetterReplaySubject,
  serviceOfDurable,
} from '@shelfwatch/messaging';
import { lastValueFrom } from 'rxjs';
import { DEAD_LETTER_OWNERS } from '../health.manifest';
import { z } from 'zod';

/** A replay runs the consumer's handler in its transaction: give it longer than a query. */
const REPLAY_TIMEOUT_MS = 30_000;

/**
 * The operator's dead letters over request/reply (the gateway's admin routes): health lists and shows them from
 * DEADLETTER, and has the service whose consumer parked one replay it there.
 */
@Controller()
@UseFilters(new RefusalFilter(deadLetterRefusal))
export class DeadLettersHandler {
  private store: Promise<DeadLetterStore> | null = null;

  constructor(
    private readonly link: NatsLink,
    private readonly topology: Topology,
    private readonly client: RpcClientProxy,
  ) {}

  @MessagePattern(HEALTH_RPC.deadLettersList)
  async list(
    @Payload(new ContractPipe(deadLettersListRequest)) query: z.output<typeof deadLettersListRequest>,
  ): Promise<RpcAnswer<'health.dead-letters.list'>> {
    return (await this.open()).list(query);
  }

  @MessagePattern(HEALTH_RPC.deadLettersShow)
  async show(
    @Payload(new ContractPipe(deadLetterRequest)) { sequence }: z.output<typeof deadLetterRequest>,
  ): Promise<RpcAnswer<'health.dead-letters.show'>> {
    return (await this.open()).show(sequence);
  }

  @MessagePattern(HEALTH_RPC.deadLettersReplay)
  replay(
    @Payload(new ContractPipe(deadLetterRequest)) input: z.output<typeof deadLetterRequest>,
  ): Promise<RpcAnswer<'health.dead-letters.replay'>> {
    return this.forward(input.sequence);
  }

  /** Sends the replay to the service whose consumer parked the dead letter; its refusal is the answer. */
  private async forward(sequence: number): Promise<DeadLetterReplay> {
    const { consumer } = await (await this.open()).show(sequence);
    const owner = serviceOfDurable(consumer, DEAD_LETTER_OWNERS);
    if (owner === undefined) {
      throw new DeadLetterError(
        DeadLetterErrorCode.NotOwnConsumer,
        `no service of the platform has a consumer named ${consumer}`,
      );
    }
    try {
      const subject = deadLetterReplaySubject(owner);
      return await lastValueFrom(
        this.client.send<DeadLetterReplay>({ subject, timeoutMs: REPLAY_TIMEOUT_MS }, { sequence }),
      );
    } catch (error) {
      if (error instanceof RpcRemoteError) {
        throw new RpcHandlerError(error.code, error.message);
      }
      throw error;
    }
  }

  private open(): Promise<DeadLetterStore> {
    this.store ??= jetstreamManager(this.link.connection).then((jsm) => new DeadLetterStore(jsm, this.topology));
    // A failed attempt (NATS away) is not cached: the next request tries again.
    this.store.catch(() => (this.store = null));
    return this.store;
  }
}
