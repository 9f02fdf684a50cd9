import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AlertRuleOverride, AlertRuleSettings, AlertRulesView } from '@shelfwatch/contracts';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator } from '@shelfwatch/messaging';
import { freshEm, inTransaction } from '@shelfwatch/persistence';
import { AlertWriter } from '../alerts/alert-writer';
import { AlertsStore } from '../alerts/alerts.store';
import { resolvedByRuleChange } from '../alerts/crawl-evaluation';
import { DEFAULT_RULE_SETTINGS, TenantRules, ruleIdsOf } from './rule-settings';
import { RulesStore } from './rules.store';

/** Reads and replaces a tenant's alert rules. */
@Injectable()
export class RulesService {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: RulesStore,
    private readonly alerts: AlertsStore,
    private readonly writer: AlertWriter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** The rules in force for a tenant, as evaluation uses them. */
  async rulesOf(em: EntityManager, tenantId: string): Promise<TenantRules> {
    const stored = await this.store.find(em, tenantId);
    return {
      defaults: stored?.defaults ?? DEFAULT_RULE_SETTINGS,
      overrides: new Map((stored?.overrides ?? []).map((override) => [override.productId, override])),
    };
  }

  async get(tenantId: string): Promise<AlertRulesView> {
    const stored = await this.store.find(freshEm(this.orm), tenantId);
    return {
      defaults: stored?.defaults ?? DEFAULT_RULE_SETTINGS,
      overrides: stored?.overrides ?? [],
      ruleIds: ruleIdsOf(tenantId),
      updatedAt: stored?.updatedAt.toISOString() ?? null,
    };
  }

  /** Replaces the rules; open alerts of a rule now switched off resolve (`rule_changed`) in the same transaction. */
  async put(tenantId: string, defaults: AlertRuleSettings, overrides: AlertRuleOverride[]): Promise<AlertRulesView> {
    const at = this.clock.now();
    await inTransaction(this.orm, async (em) => {
      await this.store.put(em, tenantId, { defaults, overrides, updatedAt: at });
      const rules = await this.rulesOf(em, tenantId);
      const closing = resolvedByRuleChange(rules, await this.alerts.openOfTenant(em, tenantId));
      const origin = { tenantId, correlationId: this.ids.next(), causationId: null };
      await this.writer.apply(em, { origin, at }, [], closing);
    });
    return this.get(tenantId);
  }
}
