import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  REPORTING_RPC,
  ReportingBrandsView,
  ReportingDashboardView,
  ReportingExportPage,
  ReportingPriceHistoryView,
  ReportingRankHistoryView,
  reportingBrandsRequest,
  reportingDashboardRequest,
  reportingExportPageRequest,
  reportingPriceHistoryRequest,
  reportingRankHistoryRequest,
} from '@shelfwatch/contracts';
import { answer } from '../reporting.errors';
import { ReportsService } from './reports.service';

/** The gateway's report routes over request/reply. */
@Controller()
export class ReportsHandler {
  constructor(private readonly reports: ReportsService) {}

  @MessagePattern(REPORTING_RPC.dashboard)
  dashboard(@Payload() payload: unknown): Promise<ReportingDashboardView> {
    return answer(reportingDashboardRequest, payload, (input) => this.reports.dashboard(input.tenantId));
  }

  @MessagePattern(REPORTING_RPC.brands)
  brands(@Payload() payload: unknown): Promise<ReportingBrandsView> {
    return answer(reportingBrandsRequest, payload, (input) => this.reports.brandShare(input));
  }

  @MessagePattern(REPORTING_RPC.rankHistory)
  rankHistory(@Payload() payload: unknown): Promise<ReportingRankHistoryView> {
    return answer(reportingRankHistoryRequest, payload, (input) => this.reports.rankHistory(input));
  }

  @MessagePattern(REPORTING_RPC.priceHistory)
  priceHistory(@Payload() payload: unknown): Promise<ReportingPriceHistoryView> {
    return answer(reportingPriceHistoryRequest, payload, (input) => this.reports.priceHistory(input));
  }

  @MessagePattern(REPORTING_RPC.exportPage)
  exportPage(@Payload() payload: unknown): Promise<ReportingExportPage> {
    return answer(reportingExportPageRequest, payload, (input) => this.reports.exportPage(input));
  }
}
