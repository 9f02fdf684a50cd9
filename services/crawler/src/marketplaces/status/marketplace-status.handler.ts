import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CRAWLER_MARKETPLACE_RPC,
  CrawlerMarketplaceList,
  CrawlerMarketplaceStatuses,
  crawlerMarketplaceListRequest,
  crawlerMarketplaceStatusesRequest,
} from '@shelfwatch/contracts';
import { parseRequest } from '@shelfwatch/messaging';
import { MarketplaceStatusService } from './marketplace-status.service';

/** The marketplaces and their status over request/reply: a tenant's list (gateway), every status (health). */
@Controller()
export class MarketplaceStatusHandler {
  constructor(private readonly status: MarketplaceStatusService) {}

  @MessagePattern(CRAWLER_MARKETPLACE_RPC.list)
  list(@Payload() payload: unknown): Promise<CrawlerMarketplaceList> {
    return this.status.list(parseRequest(crawlerMarketplaceListRequest, payload).tenantId);
  }

  @MessagePattern(CRAWLER_MARKETPLACE_RPC.statuses)
  statuses(@Payload() payload: unknown): Promise<CrawlerMarketplaceStatuses> {
    parseRequest(crawlerMarketplaceStatusesRequest, payload);
    return this.status.statuses();
  }
}
