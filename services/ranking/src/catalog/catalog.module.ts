import { DynamicModule, Module } from '@nestjs/common';
import { CatalogHandler } from './catalog.handler';
import { CatalogWriter } from './catalog-writer';
import { CatalogStore } from './catalog.store';
import { ExclusionsService } from './exclusions.service';
import { KeywordLinks } from './keyword-links';
import { KeywordsService } from './keywords.service';
import { ProductsService } from './products.service';
import { CATALOG_LIMITS, CatalogLimits, TenantLimits } from './tenant-limits';
import { TenantPlansHandler } from './tenant-plans.handler';
import { TenantPlansService } from './tenant-plans.service';

/** The tracking catalog: products, their keywords, exclusions, tenant plans, served over request/reply. */
@Module({})
export class CatalogModule {
  static withLimits(limits: CatalogLimits): DynamicModule {
    return {
      module: CatalogModule,
      controllers: [CatalogHandler, TenantPlansHandler],
      providers: [
        { provide: CATALOG_LIMITS, useValue: limits },
        CatalogStore,
        TenantLimits,
        KeywordLinks,
        CatalogWriter,
        ProductsService,
        KeywordsService,
        ExclusionsService,
        TenantPlansService,
      ],
    };
  }
}
