import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@shelfwatch/messaging';
import { TenantsService } from '../auth/tenants.service';
import { Downstream } from '../downstream/downstream';
import { alertingRoutes } from '../routes/alerting.routes';
import { catalogRoutes } from '../routes/catalog.routes';
import { crawlsRoutes } from '../routes/crawls.routes';
import { deadLetterRoutes } from '../routes/dead-letters.routes';
import { marketplaceCredentialsRoutes } from '../routes/marketplace-credentials.routes';
import { marketplaceStatusRoutes } from '../routes/marketplace-status.routes';
import { reportingRoutes } from '../routes/reporting.routes';
import { RETENTION_MAX_DAYS, retentionRoutes } from '../routes/retention.routes';
import { tenantsRoutes } from '../routes/tenants.routes';
import { AnyRoute } from './route';

/** What the routes' handlers call. */
export interface RouteDependencies {
  downstream: Downstream;
  tenants: TenantsService;
  clock: Clock;
  retentionMaxDays: number;
}

/** Every REST route of the API, in the order of the OpenAPI document. */
export function routeTable({ downstream, tenants, clock, retentionMaxDays }: RouteDependencies): AnyRoute[] {
  return [
    ...tenantsRoutes(tenants, downstream),
    ...catalogRoutes(downstream),
    ...crawlsRoutes(downstream),
    ...marketplaceStatusRoutes(downstream),
    ...alertingRoutes(downstream),
    ...reportingRoutes(downstream, clock),
    ...retentionRoutes(downstream, retentionMaxDays),
    ...deadLetterRoutes(downstream),
    ...marketplaceCredentialsRoutes(downstream),
  ];
}

/** The route table: every REST route of the API, from which both the server and its OpenAPI are built. */
@Injectable()
export class ApiRoutes {
  readonly all: readonly AnyRoute[];

  constructor(
    downstream: Downstream,
    tenants: TenantsService,
    @Inject(CLOCK) clock: Clock,
    @Inject(RETENTION_MAX_DAYS) retentionMaxDays: number,
  ) {
    this.all = routeTable({ downstream, tenants, clock, retentionMaxDays });
  }
}
