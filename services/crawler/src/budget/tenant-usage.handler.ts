import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CRAWLER_RPC, crawlerTenantUsageRequest, RpcAnswer } from '@shelfwatch/contracts';
import { TenantUsageReader } from './tenant-usage';
import { ContractPipe } from '@shelfwatch/messaging';
import { z } from 'zod';

/** The tenant's use of the marketplaces' budgets over request/reply (the gateway's `GET /v1/tenant`). */
@Controller()
export class TenantUsageHandler {
  constructor(private readonly reader: TenantUsageReader) {}

  @MessagePattern(CRAWLER_RPC.tenantUsage)
  usage(
    @Payload(new ContractPipe(crawlerTenantUsageRequest)) input: z.output<typeof crawlerTenantUsageRequest>,
  ): Promise<RpcAnswer<'crawler.tenant.usage'>> {
    return this.reader.usage(input.tenantId);
  }
}
