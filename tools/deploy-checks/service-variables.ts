import { ConfigSpec, ServiceName, commonSpec } from '@shelfwatch/config';
import { alertingConfigSpec } from '../../services/alerting/src/alerting.config';
import { crawlerConfigSpec } from '../../services/crawler/src/crawler.config';
import { gatewayConfigSpec } from '../../services/gateway/src/gateway.config';
import { healthConfigSpec } from '../../services/health/src/health.config';
import { rankingConfigSpec } from '../../services/ranking/src/ranking.config';
import { reportingConfigSpec } from '../../services/reporting/src/reporting.config';
import { retentionConfigSpec } from '../../services/retention/src/retention.config';

const SPECS: Record<ServiceName, ConfigSpec> = {
  gateway: gatewayConfigSpec,
  crawler: crawlerConfigSpec,
  ranking: rankingConfigSpec,
  alerting: alertingConfigSpec,
  reporting: reportingConfigSpec,
  retention: retentionConfigSpec,
  health: healthConfigSpec,
};

/** The secret variables a service reads: those it cannot start without in production, and the optional ones. */
export interface ServiceSecrets {
  required: string[];
  optional: string[];
}

/**
 * Read from the services' own configuration specs (libs/config + `<service>.config.ts`): a secret that fails to
 * parse when unset under `NODE_ENV=production` is required there. A deployment must provide every required one.
 */
export function serviceSecrets(service: ServiceName): ServiceSecrets {
  const variables = Object.values({ ...commonSpec(service), ...SPECS[service] }).filter((variable) => variable.secret);
  const requiredInProduction = (parse: (raw: undefined, ctx: { production: boolean }) => unknown): boolean => {
    try {
      parse(undefined, { production: true });
      return false;
    } catch {
      return true;
    }
  };
  const required = variables.filter((variable) => requiredInProduction((raw, ctx) => variable.parse(raw, ctx)));
  return {
    required: required.map((variable) => variable.name).sort(),
    optional: variables
      .filter((variable) => !required.includes(variable))
      .map((variable) => variable.name)
      .sort(),
  };
}
