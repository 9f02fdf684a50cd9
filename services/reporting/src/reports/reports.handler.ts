import { Injectable } from '@nestjs/common';
import {
  REPORTING_RPC,
  RpcAnswer,
  reportingBrandsRequest,
  reportingDashboardRequest,
  reportingExportPageRequest,
  reportingPriceHistoryRequest,
  reportingRankHistoryRequest,
} from '@shelfwatch/contracts';
import { OnRequest } from '@shelfwatch/messaging';
import { answer } from '../reporting.errors';
import { ReportsService } from './reports.service';

/** The gateway's report routes over request/reply. */
@Injectable()
export class ReportsHandler {
  constructor(private readonly reports: ReportsService) {}

  @OnRequest(REPORTING_RPC.dashboard)
  dashboard(payload: unknown): Promise<RpcAnswer<'reporting.dashboard.get'>> {
    return answer(reportingDashboardRequest, payload, (input) => this.reports.dashboard(input.tenantId));
  }

  @OnRequest(REPORTING_RPC.brands)
  brands(payload: unknown): Promise<RpcAnswer<'reporting.brands.get'>> {
    return answer(reportingBrandsRequest, payload, (input) => this.reports.brandShare(input));
  }

  @OnRequest(REPORTING_RPC.rankHistory)
  rankHistory(payload: unknown): Promise<RpcAnswer<'reporting.rank-history.get'>> {
    return answer(reportingRankHistoryRequest, payload, (input) => this.reports.rankHistory(input));
  }

  @OnRequest(REPORTING_RPC.priceHistory)
  priceHistory(payload: unknown): Promise<RpcAnswer<'reporting.price-history.get'>> {
    return answer(reportingPriceHistoryRequest, payload, (input) => this.reports.priceHistory(input));
  }

  @OnRequest(REPORTING_RPC.exportPage)
  exportPage(payload: unknown): Promise<RpcAnswer<'reporting.export.page'>> {
    return answer(reportingExportPageRequest, payload, (input) => this.reports.exportPage(input));
  }
}
