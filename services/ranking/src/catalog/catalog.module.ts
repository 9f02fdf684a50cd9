import { Module } from '@nestjs/common';
import { CatalogHandler } from './catalog.handler';
import { CatalogWriter } from './catalog-writer';
import { ExclusionsService } from './exclusions.service';
import { KeywordsService } from './keywords.service';
import { ProductsService } from './products.service';

/** The tracking catalog: products, their keywords, exclusions, served over request/reply. */
@Module({
  providers: [CatalogWriter, ProductsService, KeywordsService, ExclusionsService, CatalogHandler],
})
export class CatalogModule {}
