import { bootService } from '../../../libs/platform/test/service-harness';
import { AlertingAppModule } from '../../alerting/src/app.module';
import { loadAlertingConfig } from '../../alerting/src/alerting.config';
import { alertingPersistence } from '../../alerting/src/alerting.persistence';
import { ReportingAppModule } from '../../reporting/src/app.module';
import { loadReportingConfig } from '../../reporting/src/reporting.config';
import { reportingPersistence } from '../../reporting/src/reporting.persistence';
import { RetentionAppModule } from '../../retention/src/app.module';
import { loadRetentionConfig } from '../../retention/src/retention.config';
import { retentionPersistence } from '../../retention/src/retention.persistence';
import { ExtraService } from './gateway.e2e-harness';

/** Alerting, reporting and retention, booted next to the crawler and the ranking. */
export const EXTRA_SERVICES: ExtraService[] = [
  {
    persistence: alertingPersistence,
    boot: (env) => bootService('alerting', loadAlertingConfig(env), (c, l) => AlertingAppModule.forConfig(c, l)),
  },
  {
    persistence: reportingPersistence,
    boot: (env) => bootService('reporting', loadReportingConfig(env), (c, l) => ReportingAppModule.forConfig(c, l)),
  },
  {
    persistence: retentionPersistence,
    boot: (env) => bootService('retention', loadRetentionConfig(env), (c, l) => RetentionAppModule.forConfig(c, l)),
  },
];
