import { runService } from '@shelfwatch/platform';
import { RankingAppModule } from './app.module';
import { loadRankingConfig } from './ranking.config';

void runService('ranking', loadRankingConfig, (config, logger) => RankingAppModule.forConfig(config, logger));
