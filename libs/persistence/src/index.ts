export * from './database-url';
export * from './migrate';
export * from './orm-options';
export * from './persistence.module';
export * from './provision-database';
export * from './purge';
export * from './purge-policy';
export * from './purge-guard';
