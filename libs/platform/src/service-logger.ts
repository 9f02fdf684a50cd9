/**
 * Injection token of the service's root pino logger (the one `runService` creates and passes to
 * `ServiceCoreModule`). A provider logs through a child of it named after its class, so that every line
 * carries the `context` operators filter on: `this.logger = logger.child({ context: MyProvider.name })`.
 */
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');
