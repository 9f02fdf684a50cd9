import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AlertRuleOverride, AlertRuleSettings } from '@shelfwatch/contracts';
import { executePrepared } from '@shelfwatch/persistence';

/** A tenant's stored rules. */
export interface StoredRules {
  defaults: AlertRuleSettings;
  overrides: AlertRuleOverride[];
  updatedAt: Date;
}

/** The tenants' rule sets (a tenant without a row runs on the built-in defaults). */
@Injectable()
export class RulesStore {
  async find(em: EntityManager, tenantId: string): Promise<StoredRules | null> {
    const [row] = await executePrepared<{
      defaults: AlertRuleSettings;
      overrides: AlertRuleOverride[];
      updated_at: Date;
    }>(em, 'select defaults, overrides, updated_at from alerting.rule_sets where tenant_id = $1', [tenantId]);
    return row ? { defaults: row.defaults, overrides: row.overrides, updatedAt: new Date(row.updated_at) } : null;
  }

  async put(em: EntityManager, tenantId: string, rules: StoredRules): Promise<void> {
    await em.execute(
      `insert into alerting.rule_sets (tenant_id, defaults, overrides, updated_at) values (?, ?::jsonb, ?::jsonb, ?)
       on conflict (tenant_id) do update set defaults = excluded.defaults, overrides = excluded.overrides,
                                             updated_at = excluded.updated_at`,
      [tenantId, JSON.stringify(rules.defaults), JSON.stringify(rules.overrides), rules.updatedAt],
      'run',
    );
  }
}
