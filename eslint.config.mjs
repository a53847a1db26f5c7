// ESLint flat config: the layering rules of docs/architecture.md ("Rules the lint enforces").
// Formatting is Prettier's (.prettierrc); `npm run lint` runs both.
import tseslint from 'typescript-eslint';

// Second entry points: `@kelisim/platform/http-app` (HTTP processes only), the pure hashing
// of history and revisions that the evidence verifier's worker thread loads alone, and the
// version (package.json's) that `kelisim --version` prints without loading the platform.
const deepLibraryImport = {
  group: [
    '@kelisim/*/**',
    '!@kelisim/platform/http-app',
    '!@kelisim/platform/version',
    '!@kelisim/history/history-chain',
    '!@kelisim/memoranda/revision-hash',
    '!@kelisim/memoranda/signature-check',
  ],
  message: 'Import another library through its index: @kelisim/<lib>, never a deep path (docs/architecture.md).',
};
const relativeLibraryImport = {
  group: ['**/libs/**', '../../libs/*'],
  message: 'Import a library through its alias @kelisim/<lib>, not a relative path into libs/.',
};
const appImport = (own) => ({
  group: ['**/apps/**', ...['api', 'worker', 'cli'].filter((a) => a !== own).map((a) => `**/${a}/src/**`)],
  message: 'An app does not import another app: move the shared piece into a library (docs/architecture.md).',
});

const restricted = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  // The type-aware rules named by a few disable comments (no-implied-eval) are not run: no project service, lint stays fast.
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      'apps/web/src/api/schema.d.ts',
    ],
  },
  {
    // apps/web (the browser app, .tsx) is linted with the same rules; it imports no library or app.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSAsExpression > TSNeverKeyword',
          message: '`as never` hides a type error: fix the types, or disable this line with the reason.',
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unsafe-function-type': 'error',
      'no-debugger': 'error',
      'no-duplicate-imports': 'error',
      'no-var': 'error',
      'prefer-const': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': restricted(deepLibraryImport, {
        group: ['**/apps/**'],
        message: 'A library never imports an app.',
      }),
    },
  },
  // Reminders react to memoranda's published events, and ask everything else through their ports.
  {
    files: ['libs/reminders/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@kelisim/memoranda',
              allowImportNames: ['MemorandumEventType'],
              message: 'Reminders see memoranda through their ports (docs/architecture.md); only the event names.',
            },
            { name: '@kelisim/identity', message: 'Reminders see identity through the Recipients port.' },
          ],
          patterns: [deepLibraryImport, { group: ['**/apps/**'], message: 'A library never imports an app.' }],
        },
      ],
    },
  },
  {
    files: ['apps/api/**/*.ts'],
    rules: { 'no-restricted-imports': restricted(deepLibraryImport, relativeLibraryImport, appImport('api')) },
  },
  {
    files: ['apps/worker/**/*.ts'],
    rules: { 'no-restricted-imports': restricted(deepLibraryImport, relativeLibraryImport, appImport('worker')) },
  },
  // apps/cli is the composition root: it alone mounts the API and the worker (alone or in one process).
  {
    files: ['apps/cli/**/*.ts'],
    rules: { 'no-restricted-imports': restricted(deepLibraryImport, relativeLibraryImport) },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'migrations/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-restricted-imports': restricted(deepLibraryImport, relativeLibraryImport),
      // Tests read arbitrary JSON answers.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
