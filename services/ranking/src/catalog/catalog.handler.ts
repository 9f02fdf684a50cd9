import { Injectable } from '@nestjs/common';
import { OnRequest } from '@shelfwatch/messaging';
import { answer } from '../ranking.rpc';
import {
  addExclusionInput,
  addKeywordInput,
  createProductInput,
  exclusionRefInput,
  listInput,
  listKeywordsInput,
  productRefInput,
  removeKeywordInput,
  updateProductInput,
} from './catalog.schemas';
import { ExclusionView, ExclusionsService } from './exclusions.service';
import { KeywordAttached, KeywordView, KeywordsService } from './keywords.service';
import { Page } from './pagination';
import { ProductView, ProductsService } from './products.service';

/** The catalog's commands and queries over NATS request/reply; every payload names its `tenantId`. */
@Injectable()
export class CatalogHandler {
  constructor(
    private readonly products: ProductsService,
    private readonly keywords: KeywordsService,
    private readonly exclusions: ExclusionsService,
  ) {}

  @OnRequest('ranking.product.create')
  createProduct(payload: unknown): Promise<ProductView> {
    return answer(createProductInput, payload, (input) => this.products.create(input));
  }

  @OnRequest('ranking.product.list')
  listProducts(payload: unknown): Promise<Page<ProductView>> {
    return answer(listInput, payload, (input) => this.products.list(input));
  }

  @OnRequest('ranking.product.get')
  getProduct(payload: unknown): Promise<ProductView> {
    return answer(productRefInput, payload, (input) => this.products.get(input));
  }

  @OnRequest('ranking.product.update')
  updateProduct(payload: unknown): Promise<ProductView> {
    return answer(updateProductInput, payload, (input) => this.products.update(input));
  }

  @OnRequest('ranking.product.delete')
  deleteProduct(payload: unknown): Promise<{ productId: string; removed: true }> {
    return answer(productRefInput, payload, (input) => this.products.remove(input));
  }

  @OnRequest('ranking.keyword.add')
  addKeyword(payload: unknown): Promise<KeywordAttached> {
    return answer(addKeywordInput, payload, (input) => this.keywords.add(input));
  }

  @OnRequest('ranking.keyword.remove')
  removeKeyword(payload: unknown): Promise<{ productId: string; keywordId: string; removed: true }> {
    return answer(removeKeywordInput, payload, (input) => this.keywords.remove(input));
  }

  @OnRequest('ranking.keyword.list')
  listKeywords(payload: unknown): Promise<Page<KeywordView>> {
    return answer(listKeywordsInput, payload, (input) => this.keywords.list(input));
  }

  @OnRequest('ranking.exclusion.add')
  addExclusion(payload: unknown): Promise<ExclusionView> {
    return answer(addExclusionInput, payload, (input) => this.exclusions.add(input));
  }

  @OnRequest('ranking.exclusion.list')
  listExclusions(payload: unknown): Promise<Page<ExclusionView>> {
    return answer(listInput, payload, (input) => this.exclusions.list(input));
  }

  @OnRequest('ranking.exclusion.delete')
  deleteExclusion(payload: unknown): Promise<{ exclusionId: string; removed: true }> {
    return answer(exclusionRefInput, payload, (input) => this.exclusions.remove(input));
  }
}
