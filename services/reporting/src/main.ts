import { runService } from '@shelfwatch/platform';
import { ReportingAppModule } from './app.module';
import { loadReportingConfig } from './reporting.config';

void runService('reporting', loadReportingConfig, (config, logger) => ReportingAppModule.forConfig(config, logger));
