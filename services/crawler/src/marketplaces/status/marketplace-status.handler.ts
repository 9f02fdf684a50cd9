import { Injectable } from '@nestjs/common';
import {
  CRAWLER_MARKETPLACE_RPC,
  RpcAnswer,
  crawlerMarketplaceListRequest,
  crawlerMarketplaceStatusesRequest,
} from '@shelfwatch/contracts';
import { OnRequest, parseRequest } from '@shelfwatch/messaging';
import { MarketplaceStatusService } from './marketplace-status.service';

/** The marketplaces and their status over request/reply: a tenant's list (gateway), every status (health). */
@Injectable()
export class MarketplaceStatusHandler {
  constructor(private readonly status: MarketplaceStatusService) {}

  @OnRequest(CRAWLER_MARKETPLACE_RPC.list)
  list(payload: unknown): Promise<RpcAnswer<'crawler.marketplace.list'>> {
    return this.status.list(parseRequest(crawlerMarketplaceListRequest, payload).tenantId);
  }

  @OnRequest(CRAWLER_MARKETPLACE_RPC.statuses)
  statuses(payload: unknown): Promise<RpcAnswer<'crawler.marketplace.statuses'>> {
    parseRequest(crawlerMarketplaceStatusesRequest, payload);
    return this.status.statuses();
  }
}
