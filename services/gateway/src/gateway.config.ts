import { ConfigSpec, Env, ServiceConfig, loadServiceConfig, requiredSecret } from '@shelfwatch/config';

/** Variables the gateway reads on top of the common ones (DESIGN.md §Ports and environment). */
export const gatewayConfigSpec = {
  /** Operator key that can create tenants; generated (and printed once) outside production. */
  adminApiKey: requiredSecret('ADMIN_API_KEY', { generateInDev: true }),
} satisfies ConfigSpec;

/** The gateway's configuration, parsed once at boot. */
export type GatewayConfig = ServiceConfig<typeof gatewayConfigSpec>;

/** Parses the gateway's configuration; throws `ConfigError` naming every bad variable. */
export function loadGatewayConfig(env: Env): GatewayConfig {
  return loadServiceConfig('gateway', gatewayConfigSpec, env);
}
