import { runService } from '@shelfwatch/platform';
import { CrawlerAppModule } from './app.module';
import { loadCrawlerConfig } from './crawler.config';

void runService('crawler', loadCrawlerConfig, (config, logger) => CrawlerAppModule.forConfig(config, logger));
