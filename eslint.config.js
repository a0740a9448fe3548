// @ts-check
import eslint from '@eslint/js';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**', 'scripts/**/*.mjs', 'bench/**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '.*.cjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Nest controllers return what services return; the types are inferred and checked there.
      '@typescript-eslint/explicit-module-boundary-types': 'off',
    },
  },
  {
    // Protocol and policy logic stays free of the framework, the ORM and the Kafka client.
    files: [
      'src/common/inventory/addressing.ts',
      'src/common/net/ip-address.ts',
      'src/common/kafka/cloud-event.ts',
      'src/common/kafka/topics.ts',
      'src/common/config/config.ts',
      'src/common/policy/*.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', 'typeorm', 'kafkajs'] }],
    },
  },
  {
    // SQL lives in persistence adapters (issue #24, docs/architecture.md "Code layout"), not in services or controllers.
    files: ['src/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      'src/common/database/migrations/**',
      'src/**/*.store.ts',
      'src/**/*-store.ts',
      'src/common/audit/audit.ts',
      'src/common/outbox/outbox.ts',
      // BRM's read model is its adapter; the statement pipeline is plumbing that sends its store's statements.
      'src/brm/vpc-routes.service.ts',
      'src/brm/statement-pipeline.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='query']",
          message: 'SQL belongs in a persistence adapter (a *store.ts module, see docs/architecture.md)',
        },
      ],
    },
  },
  {
    // The console's browser script: plain JavaScript for the browser, not part of the TypeScript project.
    files: ['src/admin/console/assets/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { project: false, projectService: false, program: null },
      sourceType: 'module',
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        URL: 'readonly',
        EventSource: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'refused', 'request.**.expect', '**.expect'] }],
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
