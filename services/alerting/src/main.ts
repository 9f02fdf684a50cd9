import { runService } from '@shelfwatch/platform';
import { AlertingAppModule } from './app.module';
import { loadAlertingConfig } from './alerting.config';

void runService('alerting', loadAlertingConfig, (config, logger) => AlertingAppModule.forConfig(config, logger));
