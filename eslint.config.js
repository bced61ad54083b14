import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'test-results/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // We do not run the React Compiler, so libraries it cannot memoize (TanStack Table) are fine.
      'react-hooks/incompatible-library': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^(node:|electron$)', message: 'The renderer has no Node or Electron APIs.' }],
        },
      ],
    },
  },
  {
    files: ['pipeline/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'pipeline/ is plain Node: it never imports electron.' }],
          patterns: [
            {
              regex: '^\\.\\./.*(main|preload|renderer)/',
              message: 'pipeline/ imports nothing from main, preload or renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['pipeline/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^node:', message: 'The contract is shared with the renderer: no Node APIs.' }],
        },
      ],
    },
  },
);
