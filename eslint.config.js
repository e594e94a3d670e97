// One linter, zero warnings (`eslint --max-warnings 0`). Runtime boundaries are folders (CONVENTIONS.md §1):
// renderer/ imports no node:* or electron, server/ never imports electron, server/domain/ stays pure.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'models/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // noUncheckedIndexedAccess makes index reads optional; a checked `!` is the honest way to say "present".
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Type-only imports from server/ (AppType, response types) and the pure server/domain are allowed.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'renderer/ runs in Chromium: no Electron.' }],
          patterns: [
            { group: nodeBuiltins, message: 'renderer/ runs in Chromium: no Node built-ins.' },
            {
              regex: '(^|/)server/(?!domain/)',
              allowTypeImports: true,
              message: 'renderer/ may import types from server/ and values only from the pure server/domain.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'server/ must run under plain Node.' }] },
      ],
    },
  },
  {
    files: ['server/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'server/domain is pure.' }],
          patterns: [
            {
              group: [
                ...nodeBuiltins,
                'better-sqlite3',
                'hono',
                'hono/*',
                '../db/*',
                '../features/*',
                '../face/*',
              ],
              message: 'server/domain is pure TypeScript + zod.',
            },
          ],
        },
      ],
    },
  },
);
