import { DynamicModule, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { ServicePersistence, ormOptions } from './orm-options';

/**
 * One service's MikroORM: its schema, its entities. No request-scoped context: every reader forks its own entity
 * manager (`freshEm`, `inTransaction`), so the context MikroORM's middleware forked for each HTTP request went
 * unused (2.8 % of the gateway's CPU on a busy route, most of whose requests read no database at all).
 * `MikroOrmModule.forRoot` registers a global module, so `MikroORM` and `EntityManager` are injectable
 * everywhere without re-exporting it (Nest refuses to re-export it).
 */
@Module({})
export class PersistenceModule {
  static forService(persistence: ServicePersistence, clientUrl: string): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [MikroOrmModule.forRoot({ ...ormOptions(persistence, clientUrl), registerRequestContext: false })],
    };
  }
}
