// Typed ESLint rules for the whole monorepo (docs/architecture.md, "Conventions").
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const LIB_BARRELS_ONLY = { group: ['@shelfwatch/*/*'], message: 'Import a lib only through its barrel alias.' };

module.exports = tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      '*.js',
      'tools/jest/*.js', // Jest's own configuration, loaded untransformed as jest.config.js is
      'libs/*/index.js',
      'tools/patches/**',
      'bench/results*',
      'web/dashboard/build.mjs',
      'web/dashboard/src/api.gen.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      'no-restricted-imports': ['error', { patterns: [LIB_BARRELS_ONLY] }],
    },
  },
  {
    // One logger style in production code: the service's pino logger (SERVICE_LOGGER), never Nest's.
    files: ['services/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [LIB_BARRELS_ONLY],
          paths: [
            {
              name: '@nestjs/common',
              importNames: ['Logger'],
              message:
                "Log through pino: inject SERVICE_LOGGER from '@shelfwatch/platform' and take logger.child({ context: MyClass.name }).",
            },
          ],
        },
      ],
    },
  },
  {
    // Hand-written SQL only inside a store: a feature's *.store.ts, a read's *.query.ts, a reporting projection
    // (docs/architecture.md, "Conventions"); everything else goes through a store or MikroORM.
    files: ['services/*/src/**/*.ts'],
    ignores: [
      '**/*.store.ts',
      '**/*.query.ts',
      '**/*.projection.ts',
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['execute', 'executeBound', 'getKysely', 'getKnex'].map((name) => ({
          selector: `CallExpression[callee.property.name='${name}'], CallExpression[callee.name='${name}']`,
          message: `SQL lives in a store: move this statement into the feature's *.store.ts (or a *.query.ts read), or use MikroORM.`,
        })),
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
);
