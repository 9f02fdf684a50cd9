import { Module } from '@nestjs/common';
import { PartitionMaintenance } from './partition-maintenance';
import { RankingPartitions } from './ranking-partitions';
import { RankingPurge } from './ranking-purge';
import { RankingRetentionHandler } from './ranking-retention.handler';

/** The ranking's part of retention: time partitions of its rows and the purge of its history. */
@Module({ providers: [RankingPartitions, RankingPurge, RankingRetentionHandler, PartitionMaintenance] })
export class RankingRetentionModule {}
