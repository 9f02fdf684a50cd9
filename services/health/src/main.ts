import { runService } from '@shelfwatch/platform';
import { HealthAppModule } from './app.module';
import { loadHealthConfig } from './health.config';

void runService('health', loadHealthConfig, (config, logger) => HealthAppModule.forConfig(config, logger));
