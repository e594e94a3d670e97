// One linter, zero warnings (`eslint --max-warnings 0`). Runtime boundaries are folders (CONVENTIONS.md §1):
// which of our folders may import which is scripts/lint/boundaries.js; which packages each may use is
// below (renderer/: no node:* or electron; server/: no electron; server/domain/: pure packages only).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import jsdoc from 'eslint-plugin-jsdoc';
import boundaries from './scripts/lint/boundaries.js';
import moduleDoc from './scripts/lint/module-doc.js';

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
    plugins: { boundaries: { rules: { 'allowed-imports': boundaries } } },
    rules: {
      'boundaries/allowed-imports': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // noUncheckedIndexedAccess makes index reads optional; a checked `!` is the honest way to say "present".
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Every module and every exported function or class says what it is (shapes, units, errors, sources).
    files: ['**/*.{ts,tsx}'],
    ignores: ['**/*.d.ts'],
    plugins: { jsdoc, docs: { rules: { 'module-doc': moduleDoc } } },
    rules: {
      'docs/module-doc': 'error',
      'jsdoc/require-jsdoc': [
        'error',
        {
          publicOnly: true,
          require: { FunctionDeclaration: true, ArrowFunctionExpression: true, ClassDeclaration: true },
          checkConstructors: false,
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Which of our folders the pages may import is the boundaries rule's; here: no Node, no Electron.
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'renderer/ runs in Chromium: no Electron.' }],
          patterns: [{ group: nodeBuiltins, message: 'renderer/ runs in Chromium: no Node built-ins.' }],
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
      // An allow-list of pure packages; which of our folders it may import is the boundaries rule's.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.|(zod|uuid|date-fns|@date-fns/tz|libphonenumber-js|vitest|fast-check)(/|$))',
              message:
                'server/domain is pure TypeScript: zod, uuid, date-fns and libphonenumber-js only (no Node, no I/O; fast-check in tests).',
            },
          ],
        },
      ],
    },
  },
);
