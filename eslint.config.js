import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// What every pipeline/ file may not import; a folder with its own rule repeats these (a later
// no-restricted-imports replaces an earlier one, it does not add to it).
const pipelinePaths = [{ name: 'electron', message: 'pipeline/ is plain Node: it never imports electron.' }];
const pipelinePatterns = [
  {
    regex: '^\\.\\./.*(main|preload|renderer)/',
    message: 'pipeline/ imports nothing from main, preload or renderer.',
  },
];
/** The house plan's arrows between stages: a stage knows another only through its output, never its code. */
const stageArrows = (stage, others) => ({
  files: [`pipeline/${stage}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: pipelinePaths,
        patterns: [
          ...pipelinePatterns,
          ...others.map((other) => ({
            regex: `^(\\.\\./)+${other}/`,
            message: `pipeline/${stage} does not import pipeline/${other}: shared pieces live in pipeline/kafka/, the DuckDB kernel and the contract.`,
          })),
        ],
      },
    ],
  },
});

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
  stageArrows('replay', ['stream']),
  stageArrows('stream', ['replay']),
  stageArrows('kafka', ['replay', 'stream']),
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
