export * from './health/dependency-probes';
export * from './health/health.module';
export * from './run-service';
export * from './service-app';
export * from './service-core.module';
export * from './service-manifest';
