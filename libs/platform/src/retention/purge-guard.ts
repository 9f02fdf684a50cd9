import { DynamicModule, Inject, Injectable, Module } from '@nestjs/common';
import { DataKind, RETENTION_RPC, RetentionKindPolicyView } from '@shelfwatch/contracts';
import { CLOCK, Clock, RpcClientProxy } from '@shelfwatch/messaging';
import { lastValueFrom } from 'rxjs';
import { counter } from '@shelfwatch/observability';
import { PurgeRequest, decidePurge } from '@shelfwatch/persistence';
import { Logger } from 'pino';
import { SERVICE_LOGGER } from '../service-logger';

/** How long an owner waits for retention's answer before retrying the purge request later. */
const POLICY_TIMEOUT_MS = 5_000;

function instant(at: Date): string {
  return Number.isNaN(at.getTime()) ? 'invalid' : at.toISOString();
}

/** Who guards, and the platform floor: nothing younger than `floorDays` days is ever purged. */
export interface PurgeGuardOptions {
  service: string;
  floorDays: number;
}

export const PURGE_GUARD_OPTIONS = Symbol('PURGE_GUARD_OPTIONS');

const refusedPurges = counter(
  'shelfwatch_retention_purges_refused_total',
  'Purge requests an owner refused: a cut-off later than the floor or the current policy allows',
  ['service', 'data_kind'],
);

/**
 * The owner's own defence against a purge that would erase what must be kept: before it deletes anything it
 * asks retention for the kind's policy as it stands now and judges the request against it and the floor
 * ({@link decidePurge}). Whoever could publish the request (a forged one, or one that sat in the stream while
 * a tenant raised its retention) cannot make the owner delete inside a window.
 */
@Injectable()
export class PurgeGuard {
  private readonly logger: Logger;

  constructor(
    private readonly client: RpcClientProxy,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PURGE_GUARD_OPTIONS) private readonly options: PurgeGuardOptions,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: PurgeGuard.name });
  }

  /**
   * True when the request may run now. A refusal is logged (tenant, kind, requested and allowed cut-off) and
   * counted, and answers false: the caller acknowledges the request without deleting anything. When retention
   * does not answer, this throws (`RpcUnavailableError`, whose cause is the NATS timeout or no-responders error): a
   * transient failure, so the request is redelivered with back-off for as long as retention is away.
   */
  async allows(dataKind: DataKind, request: PurgeRequest): Promise<boolean> {
    const policy = await lastValueFrom(
      this.client.send<RetentionKindPolicyView>(
        { subject: RETENTION_RPC.policyOfKind, timeoutMs: POLICY_TIMEOUT_MS },
        { dataKind },
      ),
    );
    const decision = decidePurge(request, policy, this.clock.now(), this.options.floorDays);
    if (decision.allowed) {
      return true;
    }
    for (const refusal of decision.refusals) {
      this.logger.warn(
        {
          service: this.options.service,
          dataKind,
          tenantId: refusal.tenantId ?? 'default',
          requestedCutoff: instant(refusal.requestedCutoff),
          allowedCutoff: instant(refusal.allowedCutoff),
        },
        'purge refused: its cut-off is later than the retention policy and the floor allow',
      );
    }
    refusedPurges.inc({ service: this.options.service, data_kind: dataKind });
    return false;
  }
}

/** Provides {@link PurgeGuard} to an owner's retention module (the service's messaging module is global). */
@Module({})
export class PurgeGuardModule {
  static forService(options: PurgeGuardOptions): DynamicModule {
    return {
      module: PurgeGuardModule,
      providers: [{ provide: PURGE_GUARD_OPTIONS, useValue: options }, PurgeGuard],
      exports: [PurgeGuard],
    };
  }
}
