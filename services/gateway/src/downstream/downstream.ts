import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { RpcAnswer, RpcRequest, RpcSubject } from '@shelfwatch/contracts';
import { RpcClient, RpcRemoteError } from '@shelfwatch/messaging';
import { Breaker, createBreaker } from '@shelfwatch/resilience';

/** How long to wait for a service's answer (the gateway's `DOWNSTREAM_TIMEOUT_MS`). */
export const DOWNSTREAM_TIMEOUT_MS = Symbol('DOWNSTREAM_TIMEOUT_MS');

type Call = [subject: string, payload: unknown];

/**
 * The gateway's only way to the services: NATS request/reply with a timeout, behind one circuit breaker
 * per service (the subject's first word). A domain error (`RpcRemoteError`) never counts as a failure; no
 * responder and timeouts do, so a service that is down answers 503 at once instead of after every timeout.
 */
@Injectable()
export class Downstream implements OnApplicationShutdown {
  private readonly breakers = new Map<string, Breaker<Call, unknown>>();

  constructor(
    private readonly rpc: RpcClient,
    @Inject(DOWNSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  /**
   * Sends `request` to `subject` and returns the service's answer, both typed from the contracts' rpc registry
   * (a refusal rejects with `RpcRemoteError`, whose code is one of the subject's `RpcErrorCodeOf`).
   */
  async call<S extends RpcSubject>(subject: S, request: RpcRequest<S>): Promise<RpcAnswer<S>> {
    return (await this.breakerOf(subject).fire(subject, request)) as RpcAnswer<S>;
  }

  onApplicationShutdown(): void {
    for (const breaker of this.breakers.values()) {
      breaker.shutdown();
    }
  }

  private breakerOf(subject: string): Breaker<Call, unknown> {
    const service = subject.split('.')[0] ?? subject;
    let breaker = this.breakers.get(service);
    if (!breaker) {
      breaker = createBreaker<Call, unknown>(
        `gateway-${service}`,
        (target, payload) => this.rpc.request(target, payload, this.timeoutMs),
        {
          // The RPC timeout answers first; the breaker's own is a backstop.
          timeout: this.timeoutMs + 1_000,
          resetTimeout: 5_000,
          volumeThreshold: 20,
          errorFilter: (error) => error instanceof RpcRemoteError,
        },
      );
      this.breakers.set(service, breaker);
    }
    return breaker;
  }
}
