// ESLint: typescript-eslint's recommended rules, promises that must be awaited, and workflow code kept deterministic.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/', '**/dist/', 'dist-examples/', '.data/', '.tools/', 'coverage/', 'bench/results/', 'packages/client/src/schema.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its failure: the bug class that costs a delivery.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Hookline strips and rejects control characters on purpose (headers, JSON input, templates).
      'no-control-regex': 'off',
    },
  },
  {
    // Specs reach into untyped JSON answers.
    files: ['test/**', 'packages/*/test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The console runs in the browser.
    files: ['src/console/app/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Workflow code is bundled into Temporal's deterministic sandbox: values only from the workflow SDK, the
    // workflows themselves, their contracts and pure domain modules; anything else only as types.
    files: ['src/workflows/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!@temporalio/workflow$|\\./|\\.\\./domain/|\\.\\./contracts/)',
              allowTypeImports: true,
              message: 'Workflow code imports values only from @temporalio/workflow, src/workflows, src/contracts and pure src/domain modules.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
