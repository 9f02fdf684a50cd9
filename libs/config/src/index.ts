export * from './config-error';
export * from './consumer-config';
export * from './load-config';
export * from './secret';
export * from './service-config';
export * from './variables';
export { estimatedBits, weakness } from './secret-strength';
