import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  REPORTING_RPC,
  reportingBrandsRequest,
  reportingDashboardRequest,
  reportingExportPageRequest,
  reportingPriceHistoryRequest,
  reportingRankHistoryRequest,
  RpcAnswer,
} from '@shelfwatch/contracts';
import { ReportsService } from './reports.service';
import { ContractPipe, EncodedAnswer } from '@shelfwatch/messaging';
import { z } from 'zod';

/** The gateway's report routes over request/reply. */
@Controller()
export class ReportsHandler {
  constructor(private readonly reports: ReportsService) {}

  @MessagePattern(REPORTING_RPC.dashboard)
  dashboard(
    @Payload(new ContractPipe(reportingDashboardRequest)) input: z.output<typeof reportingDashboardRequest>,
  ): Promise<EncodedAnswer<RpcAnswer<'reporting.dashboard.get'>>> {
    return this.reports.dashboard(input.tenantId);
  }

  @MessagePattern(REPORTING_RPC.brands)
  brands(
    @Payload(new ContractPipe(reportingBrandsRequest)) input: z.output<typeof reportingBrandsRequest>,
  ): Promise<EncodedAnswer<RpcAnswer<'reporting.brands.get'>>> {
    return this.reports.brandShare(input);
  }

  @MessagePattern(REPORTING_RPC.rankHistory)
  rankHistory(
    @Payload(new ContractPipe(reportingRankHistoryRequest)) input: z.output<typeof reportingRankHistoryRequest>,
  ): Promise<RpcAnswer<'reporting.rank-history.get'>> {
    return this.reports.rankHistory(input);
  }

  @MessagePattern(REPORTING_RPC.priceHistory)
  priceHistory(
    @Payload(new ContractPipe(reportingPriceHistoryRequest)) input: z.output<typeof reportingPriceHistoryRequest>,
  ): Promise<RpcAnswer<'reporting.price-history.get'>> {
    return this.reports.priceHistory(input);
  }

  @MessagePattern(REPORTING_RPC.exportPage)
  exportPage(
    @Payload(new ContractPipe(reportingExportPageRequest)) input: z.output<typeof reportingExportPageRequest>,
  ): Promise<RpcAnswer<'reporting.export.page'>> {
    return this.reports.exportPage(input);
  }
}
