import { DynamicModule, Module } from '@nestjs/common';
import { PurgeGuardModule } from '@shelfwatch/platform';
import { PartitionMaintenance } from './partition-maintenance';
import { RankingPartitionsStore } from './ranking-partitions.store';
import { RankingPurge } from './ranking-purge';
import { RankingRetentionHandler } from './ranking-retention.handler';

/** The ranking's part of retention: time partitions of its rows and the purge of its history. */
@Module({})
export class RankingRetentionModule {
  /** `floorDays`: ranking history younger than this is never purged, whatever a request says. */
  static forFloor(floorDays: number): DynamicModule {
    return {
      module: RankingRetentionModule,
      imports: [PurgeGuardModule.forService({ service: 'ranking', floorDays })],
      controllers: [RankingRetentionHandler],
      providers: [RankingPartitionsStore, RankingPurge, PartitionMaintenance],
    };
  }
}
