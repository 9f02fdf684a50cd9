import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  Page,
  RANKING_RPC,
  RankingExclusionRemoved,
  RankingKeywordRemoved,
  RankingProductRemoved,
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
} from '@shelfwatch/contracts';
import { answer } from '../ranking.rpc';
import { ExclusionView, ExclusionsService } from './exclusions.service';
import { KeywordAttached, KeywordView, KeywordsService } from './keywords.service';
import { ProductView, ProductsService } from './products.service';

/** The catalog's commands and queries over NATS request/reply; every payload names its `tenantId`. */
@Controller()
export class CatalogHandler {
  constructor(
    private readonly products: ProductsService,
    private readonly keywords: KeywordsService,
    private readonly exclusions: ExclusionsService,
  ) {}

  @MessagePattern(RANKING_RPC.productCreate)
  createProduct(@Payload() payload: unknown): Promise<ProductView> {
    return answer(rankingProductCreateRequest, payload, (input) => this.products.create(input));
  }

  @MessagePattern(RANKING_RPC.productList)
  listProducts(@Payload() payload: unknown): Promise<Page<ProductView>> {
    return answer(rankingListRequest, payload, (input) => this.products.list(input));
  }

  @MessagePattern(RANKING_RPC.productGet)
  getProduct(@Payload() payload: unknown): Promise<ProductView> {
    return answer(rankingProductRefRequest, payload, (input) => this.products.get(input));
  }

  @MessagePattern(RANKING_RPC.productUpdate)
  updateProduct(@Payload() payload: unknown): Promise<ProductView> {
    return answer(rankingProductUpdateRequest, payload, (input) => this.products.update(input));
  }

  @MessagePattern(RANKING_RPC.productDelete)
  deleteProduct(@Payload() payload: unknown): Promise<RankingProductRemoved> {
    return answer(rankingProductRefRequest, payload, (input) => this.products.remove(input));
  }

  @MessagePattern(RANKING_RPC.keywordAdd)
  addKeyword(@Payload() payload: unknown): Promise<KeywordAttached> {
    return answer(rankingKeywordAddRequest, payload, (input) => this.keywords.add(input));
  }

  @MessagePattern(RANKING_RPC.keywordRemove)
  removeKeyword(@Payload() payload: unknown): Promise<RankingKeywordRemoved> {
    return answer(rankingKeywordRemoveRequest, payload, (input) => this.keywords.remove(input));
  }

  @MessagePattern(RANKING_RPC.keywordUpdate)
  updateKeyword(@Payload() payload: unknown): Promise<KeywordView> {
    return answer(rankingKeywordUpdateRequest, payload, (input) => this.keywords.update(input));
  }

  @MessagePattern(RANKING_RPC.keywordList)
  listKeywords(@Payload() payload: unknown): Promise<Page<KeywordView>> {
    return answer(rankingKeywordListRequest, payload, (input) => this.keywords.list(input));
  }

  @MessagePattern(RANKING_RPC.exclusionAdd)
  addExclusion(@Payload() payload: unknown): Promise<ExclusionView> {
    return answer(rankingExclusionAddRequest, payload, (input) => this.exclusions.add(input));
  }

  @MessagePattern(RANKING_RPC.exclusionList)
  listExclusions(@Payload() payload: unknown): Promise<Page<ExclusionView>> {
    return answer(rankingListRequest, payload, (input) => this.exclusions.list(input));
  }

  @MessagePattern(RANKING_RPC.exclusionDelete)
  deleteExclusion(@Payload() payload: unknown): Promise<RankingExclusionRemoved> {
    return answer(rankingExclusionRefRequest, payload, (input) => this.exclusions.remove(input));
  }
}
