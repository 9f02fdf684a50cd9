import { runService } from '@shelfwatch/platform';
import { RetentionAppModule } from './app.module';
import { loadRetentionConfig } from './retention.config';

void runService('retention', loadRetentionConfig, (config, logger) => RetentionAppModule.forConfig(config, logger));
