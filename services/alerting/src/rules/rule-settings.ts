import { AlertRuleOverride, AlertRuleSettings, AlertType, alertTypeSchema } from '@shelfwatch/contracts';
import { v5 as uuidv5 } from 'uuid';

/**
 * What a tenant runs on until it sets its own rules: thresholds rather than every small change (users of
 * the tools we replace asked for that), and no per-product "new competitor" noise unless asked for.
 */
export const DEFAULT_RULE_SETTINGS: AlertRuleSettings = {
  priceUndercut: { enabled: true, minPercent: 1, minAmount: null },
  rankDrop: { enabled: true, minPlaces: 5, topK: 10 },
  productMissing: { enabled: true },
  newCompetitor: { enabled: false, topN: 10 },
  cooldownMinutes: 60,
};

/** A tenant's rules as stored: the defaults and the per-product overrides. */
export interface TenantRules {
  defaults: AlertRuleSettings;
  overrides: ReadonlyMap<string, AlertRuleOverride>;
}

/** The settings in force for one product: each overridden rule replaces the default one entirely. */
export function effectiveSettings(rules: TenantRules, productId: string): AlertRuleSettings {
  const override = rules.overrides.get(productId);
  if (!override) {
    return rules.defaults;
  }
  const { defaults } = rules;
  return {
    priceUndercut: override.priceUndercut ?? defaults.priceUndercut,
    rankDrop: override.rankDrop ?? defaults.rankDrop,
    productMissing: override.productMissing ?? defaults.productMissing,
    newCompetitor: override.newCompetitor ?? defaults.newCompetitor,
    cooldownMinutes: override.cooldownMinutes ?? defaults.cooldownMinutes,
  };
}

/** Whether a rule type is switched on in a set of settings. */
export function isEnabled(settings: AlertRuleSettings, type: AlertType): boolean {
  switch (type) {
    case 'price_undercut':
      return settings.priceUndercut.enabled;
    case 'rank_drop':
      return settings.rankDrop.enabled;
    case 'product_missing':
      return settings.productMissing.enabled;
    case 'new_competitor':
      return settings.newCompetitor.enabled;
    default: {
      const unknown: never = type;
      throw new Error(`unknown alert type ${String(unknown)}`);
    }
  }
}

/** Namespace of rule ids (UUIDv5): a tenant's rule of one type has the same id forever, without storage. */
const RULE_ID_NAMESPACE = '0b6f3f5e-8a4c-5d0e-9c41-5f0a3d2b7e19';

export function ruleIdFor(tenantId: string, type: AlertType): string {
  return uuidv5(`${tenantId}/${type}`, RULE_ID_NAMESPACE);
}

export function ruleIdsOf(tenantId: string): Record<AlertType, string> {
  return Object.fromEntries(alertTypeSchema.options.map((type) => [type, ruleIdFor(tenantId, type)])) as Record<
    AlertType,
    string
  >;
}
