import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CRAWLER_RPC, CrawlerTenantUsage, crawlerTenantUsageRequest } from '@shelfwatch/contracts';
import { parseRequest } from '@shelfwatch/messaging';
import { TenantUsageReader } from './tenant-usage';

/** The tenant's use of the marketplaces' budgets over request/reply (the gateway's `GET /v1/tenant`). */
@Controller()
export class TenantUsageHandler {
  constructor(private readonly reader: TenantUsageReader) {}

  @MessagePattern(CRAWLER_RPC.tenantUsage)
  usage(@Payload() payload: unknown): Promise<CrawlerTenantUsage[]> {
    return this.reader.usage(parseRequest(crawlerTenantUsageRequest, payload).tenantId);
  }
}
