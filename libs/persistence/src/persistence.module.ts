import { DynamicModule, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { ServicePersistence, ormOptions } from './orm-options';

/**
 * One service's MikroORM: its schema, its entities; HTTP requests get a request-scoped context.
 * `MikroOrmModule.forRoot` registers a global module, so `MikroORM` and `EntityManager` are injectable
 * everywhere without re-exporting it (Nest refuses to re-export it).
 */
@Module({})
export class PersistenceModule {
  static forService(persistence: ServicePersistence, clientUrl: string): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [MikroOrmModule.forRoot({ ...ormOptions(persistence, clientUrl), registerRequestContext: true })],
    };
  }
}
