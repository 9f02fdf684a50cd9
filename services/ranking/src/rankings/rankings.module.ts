import { Module } from '@nestjs/common';
import { RankingsHandler } from './rankings.handler';
import { RankingsService } from './rankings.service';
import { RankingsStore } from './rankings.store';

/** Rankings: records completed crawls and serves the latest ranking of a keyword. */
@Module({ controllers: [RankingsHandler], providers: [RankingsService, RankingsStore] })
export class RankingsModule {}
