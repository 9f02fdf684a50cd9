export * from './tracing';
export * from './propagation';
export * from './http-tracing';
export * from './logging';
export * from './redaction';
export * from './logging.module';
export * from './metrics';
export * from './metrics.module';
