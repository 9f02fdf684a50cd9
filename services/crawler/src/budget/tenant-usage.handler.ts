import { Injectable } from '@nestjs/common';
import { CRAWLER_RPC, RpcAnswer, crawlerTenantUsageRequest } from '@shelfwatch/contracts';
import { OnRequest, parseRequest } from '@shelfwatch/messaging';
import { TenantUsageReader } from './tenant-usage';

/** The tenant's use of the marketplaces' budgets over request/reply (the gateway's `GET /v1/tenant`). */
@Injectable()
export class TenantUsageHandler {
  constructor(private readonly reader: TenantUsageReader) {}

  @OnRequest(CRAWLER_RPC.tenantUsage)
  usage(payload: unknown): Promise<RpcAnswer<'crawler.tenant.usage'>> {
    return this.reader.usage(parseRequest(crawlerTenantUsageRequest, payload).tenantId);
  }
}
