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
      'no-restricted-imports': [
        'error',
        {
          patterns: [...nodeBuiltins, 'electron', '**/server/**', '!**/server/app'].map((group) => ({
            group: [group],
            message: 'renderer/ runs in Chromium: no Node or Electron imports.',
          })),
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
