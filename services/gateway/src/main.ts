import { runService } from '@shelfwatch/platform';
import { GatewayAppModule } from './app.module';
import { GatewayConfig, loadGatewayConfig } from './gateway.config';

/** Outside production an unset ADMIN_API_KEY is generated: show it once, on stdout, never in the JSON log. */
function printGeneratedAdminKey(config: GatewayConfig): void {
  if (config.adminApiKey.generated) {
    process.stdout.write(`ADMIN_API_KEY (generated for this development run): ${config.adminApiKey.value.reveal()}\n`);
  }
}

void runService('gateway', loadGatewayConfig, (config, logger) => GatewayAppModule.forConfig(config, logger), {
  onListening: printGeneratedAdminKey,
});
