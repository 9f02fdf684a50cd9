import { DynamicModule, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { ServicePersistence, ormOptions } from './orm-options';

/** One service's MikroORM: its schema, its entities; HTTP requests get a request-scoped context. */
@Module({})
export class PersistenceModule {
  static forService(persistence: ServicePersistence, clientUrl: string): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [MikroOrmModule.forRoot({ ...ormOptions(persistence, clientUrl), registerRequestContext: true })],
      exports: [MikroOrmModule],
    };
  }
}
