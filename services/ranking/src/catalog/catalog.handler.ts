import { Injectable } from '@nestjs/common';
import {
  RANKING_RPC,
  RpcAnswer,
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
import { OnRequest } from '@shelfwatch/messaging';
import { answer } from '../ranking.rpc';
import { ExclusionsService } from './exclusions.service';
import { KeywordsService } from './keywords.service';
import { ProductsService } from './products.service';

/** The catalog's commands and queries over NATS request/reply; every payload names its `tenantId`. */
@Injectable()
export class CatalogHandler {
  constructor(
    private readonly products: ProductsService,
    private readonly keywords: KeywordsService,
    private readonly exclusions: ExclusionsService,
  ) {}

  @OnRequest(RANKING_RPC.productCreate)
  createProduct(payload: unknown): Promise<RpcAnswer<'ranking.product.create'>> {
    return answer(rankingProductCreateRequest, payload, (input) => this.products.create(input));
  }

  @OnRequest(RANKING_RPC.productList)
  listProducts(payload: unknown): Promise<RpcAnswer<'ranking.product.list'>> {
    return answer(rankingListRequest, payload, (input) => this.products.list(input));
  }

  @OnRequest(RANKING_RPC.productGet)
  getProduct(payload: unknown): Promise<RpcAnswer<'ranking.product.get'>> {
    return answer(rankingProductRefRequest, payload, (input) => this.products.get(input));
  }

  @OnRequest(RANKING_RPC.productUpdate)
  updateProduct(payload: unknown): Promise<RpcAnswer<'ranking.product.update'>> {
    return answer(rankingProductUpdateRequest, payload, (input) => this.products.update(input));
  }

  @OnRequest(RANKING_RPC.productDelete)
  deleteProduct(payload: unknown): Promise<RpcAnswer<'ranking.product.delete'>> {
    return answer(rankingProductRefRequest, payload, (input) => this.products.remove(input));
  }

  @OnRequest(RANKING_RPC.keywordAdd)
  addKeyword(payload: unknown): Promise<RpcAnswer<'ranking.keyword.add'>> {
    return answer(rankingKeywordAddRequest, payload, (input) => this.keywords.add(input));
  }

  @OnRequest(RANKING_RPC.keywordRemove)
  removeKeyword(payload: unknown): Promise<RpcAnswer<'ranking.keyword.remove'>> {
    return answer(rankingKeywordRemoveRequest, payload, (input) => this.keywords.remove(input));
  }

  @OnRequest(RANKING_RPC.keywordUpdate)
  updateKeyword(payload: unknown): Promise<RpcAnswer<'ranking.keyword.update'>> {
    return answer(rankingKeywordUpdateRequest, payload, (input) => this.keywords.update(input));
  }

  @OnRequest(RANKING_RPC.keywordList)
  listKeywords(payload: unknown): Promise<RpcAnswer<'ranking.keyword.list'>> {
    return answer(rankingKeywordListRequest, payload, (input) => this.keywords.list(input));
  }

  @OnRequest(RANKING_RPC.exclusionAdd)
  addExclusion(payload: unknown): Promise<RpcAnswer<'ranking.exclusion.add'>> {
    return answer(rankingExclusionAddRequest, payload, (input) => this.exclusions.add(input));
  }

  @OnRequest(RANKING_RPC.exclusionList)
  listExclusions(payload: unknown): Promise<RpcAnswer<'ranking.exclusion.list'>> {
    return answer(rankingListRequest, payload, (input) => this.exclusions.list(input));
  }

  @OnRequest(RANKING_RPC.exclusionDelete)
  deleteExclusion(payload: unknown): Promise<RpcAnswer<'ranking.exclusion.delete'>> {
    return answer(rankingExclusionRefRequest, payload, (input) => this.exclusions.remove(input));
  }
}
