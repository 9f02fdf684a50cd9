import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  RETENTION_RPC,
  RetentionPolicyView,
  retentionMaximumMessage,
  retentionPolicyGetRequest,
  retentionPolicyOfKindRequest,
  retentionPolicyPutRequest,
  RpcAnswer,
} from '@shelfwatch/contracts';
import { CLOCK, Clock, ContractPipe } from '@shelfwatch/messaging';
import { freshEm, inTransaction } from '@shelfwatch/persistence';
import { RetentionError } from '../retention.errors';
import { RETENTION_DEFAULTS, RETENTION_MAX_DAYS } from '../retention.tokens';
import { PoliciesStore } from './policies.store';
import { RetentionDefaults, beyondMaximum, effectivePolicy } from './retention-policy';
import { z } from 'zod';

/** A tenant's retention policy over request/reply (the gateway's `GET|PUT /v1/retention-policy`). */
@Controller()
export class PoliciesHandler {
  constructor(
    private readonly em: EntityManager,
    private readonly policies: PoliciesStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RETENTION_DEFAULTS) private readonly defaults: RetentionDefaults,
    @Inject(RETENTION_MAX_DAYS) private readonly maxDays: number,
  ) {}

  @MessagePattern(RETENTION_RPC.policyGet)
  async get(
    @Payload(new ContractPipe(retentionPolicyGetRequest)) { tenantId }: z.output<typeof retentionPolicyGetRequest>,
  ): Promise<RpcAnswer<'retention.policy.get'>> {
    return this.view(freshEm(this.em), tenantId);
  }

  @MessagePattern(RETENTION_RPC.policyPut)
  async put(
    @Payload(new ContractPipe(retentionPolicyPutRequest))
    { tenantId, policies }: z.output<typeof retentionPolicyPutRequest>,
  ): Promise<RpcAnswer<'retention.policy.put'>> {
    const beyond = beyondMaximum(policies, this.maxDays);
    if (beyond.length > 0) {
      const fields = beyond.map((change) => `${change.dataKind}.days: ${retentionMaximumMessage(this.maxDays)}`);
      throw RetentionError.invalid(fields);
    }
    const now = this.clock.now();
    return inTransaction(this.em, async (em) => {
      for (const { dataKind, days } of policies) {
        await this.policies.change(em, tenantId, dataKind, days, now);
      }
      return this.view(em, tenantId);
    });
  }

  /** One kind's policy across every tenant, as it stands now: what an owner checks a purge request against. */
  @MessagePattern(RETENTION_RPC.policyOfKind)
  async ofKind(
    @Payload(new ContractPipe(retentionPolicyOfKindRequest))
    { dataKind }: z.output<typeof retentionPolicyOfKindRequest>,
  ): Promise<RpcAnswer<'retention.policy.kind'>> {
    const overrides = await this.policies.ofKind(freshEm(this.em), dataKind);
    return {
      dataKind,
      defaultDays: this.defaults[dataKind],
      tenants: overrides.map(({ tenantId, days }) => ({ tenantId, days })),
    };
  }

  private async view(em: EntityManager, tenantId: string): Promise<RetentionPolicyView> {
    return { tenantId, policies: effectivePolicy(this.defaults, await this.policies.forTenant(em, tenantId)) };
  }
}
