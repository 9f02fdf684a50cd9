import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RANKING_RPC,
  rankingExclusionAddRequest,
  rankingExclusionRefRequest,
  rankingKeywordAddRequest,
  rankingKeywordListRequest,
  rankingKeywordRemoveRequest,
  rankingKeywordUpdateRequest,
  rankingListRequest,
  rankingProductCreateRequest,
  rankingProductRefRequest,
  rankingProductUpdateRequest,
  RpcAnswer,
} from '@shelfwatch/contracts';
import { ExclusionsService } from './exclusions.service';
import { KeywordsService } from './keywords.service';
import { ProductsService } from './products.service';
import { ContractPipe } from '@shelfwatch/messaging';
import { z } from 'zod';

/** The catalog's commands and queries over NATS request/reply; every payload names its `tenantId`. */
@Controller()
export class CatalogHandler {
  constructor(
    private readonly products: ProductsService,
    private readonly keywords: KeywordsService,
    private readonly exclusions: ExclusionsService,
  ) {}

  @MessagePattern(RANKING_RPC.productCreate)
  createProduct(
    @Payload(new ContractPipe(rankingProductCreateRequest)) input: z.output<typeof rankingProductCreateRequest>,
  ): Promise<RpcAnswer<'ranking.product.create'>> {
    return this.products.create(input);
  }

  @MessagePattern(RANKING_RPC.productList)
  listProducts(
    @Payload(new ContractPipe(rankingListRequest)) input: z.output<typeof rankingListRequest>,
  ): Promise<RpcAnswer<'ranking.product.list'>> {
    return this.products.list(input);
  }

  @MessagePattern(RANKING_RPC.productGet)
  getProduct(
    @Payload(new ContractPipe(rankingProductRefRequest)) input: z.output<typeof rankingProductRefRequest>,
  ): Promise<RpcAnswer<'ranking.product.get'>> {
    return this.products.get(input);
  }

  @MessagePattern(RANKING_RPC.productUpdate)
  updateProduct(
    @Payload(new ContractPipe(rankingProductUpdateRequest)) input: z.output<typeof rankingProductUpdateRequest>,
  ): Promise<RpcAnswer<'ranking.product.update'>> {
    return this.products.update(input);
  }

  @MessagePattern(RANKING_RPC.productDelete)
  deleteProduct(
    @Payload(new ContractPipe(rankingProductRefRequest)) input: z.output<typeof rankingProductRefRequest>,
  ): Promise<RpcAnswer<'ranking.product.delete'>> {
    return this.products.remove(input);
  }

  @MessagePattern(RANKING_RPC.keywordAdd)
  addKeyword(
    @Payload(new ContractPipe(rankingKeywordAddRequest)) input: z.output<typeof rankingKeywordAddRequest>,
  ): Promise<RpcAnswer<'ranking.keyword.add'>> {
    return this.keywords.add(input);
  }

  @MessagePattern(RANKING_RPC.keywordRemove)
  removeKeyword(
    @Payload(new ContractPipe(rankingKeywordRemoveRequest)) input: z.output<typeof rankingKeywordRemoveRequest>,
  ): Promise<RpcAnswer<'ranking.keyword.remove'>> {
    return this.keywords.remove(input);
  }

  @MessagePattern(RANKING_RPC.keywordUpdate)
  updateKeyword(
    @Payload(new ContractPipe(rankingKeywordUpdateRequest)) input: z.output<typeof rankingKeywordUpdateRequest>,
  ): Promise<RpcAnswer<'ranking.keyword.update'>> {
    return this.keywords.update(input);
  }

  @MessagePattern(RANKING_RPC.keywordList)
  listKeywords(
    @Payload(new ContractPipe(rankingKeywordListRequest)) input: z.output<typeof rankingKeywordListRequest>,
  ): Promise<RpcAnswer<'ranking.keyword.list'>> {
    return this.keywords.list(input);
  }

  @MessagePattern(RANKING_RPC.exclusionAdd)
  addExclusion(
    @Payload(new ContractPipe(rankingExclusionAddRequest)) input: z.output<typeof rankingExclusionAddRequest>,
  ): Promise<RpcAnswer<'ranking.exclusion.add'>> {
    return this.exclusions.add(input);
  }

  @MessagePattern(RANKING_RPC.exclusionList)
  listExclusions(
    @Payload(new ContractPipe(rankingListRequest)) input: z.output<typeof rankingListRequest>,
  ): Promise<RpcAnswer<'ranking.exclusion.list'>> {
    return this.exclusions.list(input);
  }

  @MessagePattern(RANKING_RPC.exclusionDelete)
  deleteExclusion(
    @Payload(new ContractPipe(rankingExclusionRefRequest)) input: z.output<typeof rankingExclusionRefRequest>,
  ): Promise<RpcAnswer<'ranking.exclusion.delete'>> {
    return this.exclusions.remove(input);
  }
}
