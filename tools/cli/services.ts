import { ServiceName } from '@shelfwatch/config';
import { ServicePersistence } from '@shelfwatch/persistence';
import { ServiceManifest } from '@shelfwatch/platform';
import { alertingManifest } from '../../services/alerting/src/alerting.manifest';
import { alertingPersistence } from '../../services/alerting/src/alerting.persistence';
import { crawlerManifest } from '../../services/crawler/src/crawler.manifest';
import { crawlerPersistence } from '../../services/crawler/src/crawler.persistence';
import { gatewayManifest } from '../../services/gateway/src/gateway.manifest';
import { gatewayPersistence } from '../../services/gateway/src/gateway.persistence';
import { healthManifest } from '../../services/health/src/health.manifest';
import { healthPersistence } from '../../services/health/src/health.persistence';
import { rankingManifest } from '../../services/ranking/src/ranking.manifest';
import { rankingPersistence } from '../../services/ranking/src/ranking.persistence';
import { reportingManifest } from '../../services/reporting/src/reporting.manifest';
import { reportingPersistence } from '../../services/reporting/src/reporting.persistence';
import { retentionManifest } from '../../services/retention/src/retention.manifest';
import { retentionPersistence } from '../../services/retention/src/retention.persistence';

/** What the CLIs need to know about one service. */
export interface ServiceEntry {
  persistence: ServicePersistence;
  manifest: ServiceManifest;
}

/** Every service, in start order. */
export const SERVICES: Record<ServiceName, ServiceEntry> = {
  gateway: { persistence: gatewayPersistence, manifest: gatewayManifest },
  crawler: { persistence: crawlerPersistence, manifest: crawlerManifest },
  ranking: { persistence: rankingPersistence, manifest: rankingManifest },
  alerting: { persistence: alertingPersistence, manifest: alertingManifest },
  reporting: { persistence: reportingPersistence, manifest: reportingManifest },
  retention: { persistence: retentionPersistence, manifest: retentionManifest },
  health: { persistence: healthPersistence, manifest: healthManifest },
};
