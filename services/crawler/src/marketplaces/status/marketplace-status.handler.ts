import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CRAWLER_MARKETPLACE_RPC,
  crawlerMarketplaceListRequest,
  crawlerMarketplaceStatusesRequest,
  RpcAnswer,
} from '@shelfwatch/contracts';
import { MarketplaceStatusService } from './marketplace-status.service';
import { ContractPipe } from '@shelfwatch/messaging';
import { z } from 'zod';

/** The marketplaces and their status over request/reply: a tenant's list (gateway), every status (health). */
@Controller()
export class MarketplaceStatusHandler {
  constructor(private readonly status: MarketplaceStatusService) {}

  @MessagePattern(CRAWLER_MARKETPLACE_RPC.list)
  list(
    @Payload(new ContractPipe(crawlerMarketplaceListRequest)) input: z.output<typeof crawlerMarketplaceListRequest>,
  ): Promise<RpcAnswer<'crawler.marketplace.list'>> {
    return this.status.list(input.tenantId);
  }

  @MessagePattern(CRAWLER_MARKETPLACE_RPC.statuses)
  statuses(
    @Payload(new ContractPipe(crawlerMarketplaceStatusesRequest))
    _query: z.output<typeof crawlerMarketplaceStatusesRequest>,
  ): Promise<RpcAnswer<'crawler.marketplace.statuses'>> {
    return this.status.statuses();
  }
}
