// Jest runs TypeScript through SWC (decorator metadata on) under Node 24 with --experimental-vm-modules,
// which is what lets CommonJS tests load the ESM-only NestJS 12 and MikroORM 7 packages (see docs/running.md, "Tests").
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@shelfwatch/(.*)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  // Writes each file's V8 coverage when NODE_V8_COVERAGE is set (docs/running.md, "Coverage"); a no-op otherwise.
  setupFilesAfterEnv: ['<rootDir>/tools/coverage/take-coverage.ts'],
};

module.exports = {
  // Global: per-project testTimeout is ignored when projects are used.
  testTimeout: 60_000,
  // The fault suite first, and never beside the other file that runs a whole platform (tools/jest/test-sequencer.js).
  testSequencer: '<rootDir>/tools/jest/test-sequencer.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,tools,web,test}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services,tools,test}/**/*.int-spec.ts'],
    },
    // The running services over HTTP and NATS (several services booted together).
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/{services,tools,test}/**/*.e2e-spec.ts'] },
    // Crashes and restarts of a private Postgres and NATS under a crawl workload (FAULTS_MODE=full: 100k+ events).
    { ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'] },
  ],
};
