/** Two projects: unit (pure logic, beside the code) and e2e (real PostgreSQL, Redis and Nest app). */
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  const from = '^' + alias.replace('/*', '/(.*)') + '$';
  moduleNameMapper[from] = '<rootDir>/' + target.replace('/*', '/$1');
}
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] };

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
      moduleNameMapper,
      // The web app's formatters are tested with the real ICU formatter (intl-messageformat, ESM only).
      transform: {
        ...transform,
        '^.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' }, diagnostics: false }],
      },
      transformIgnorePatterns: ['/node_modules/(?!(intl-messageformat|@formatjs)/)'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      // argon2id at a small cost in the e2e tests (test/support/argon2-test-cost.ts).
      setupFiles: ['<rootDir>/test/support/argon2-test-cost.ts'],
      moduleNameMapper,
      transform,
      slowTestThreshold: 30,
    },
  ],
  maxWorkers: process.env.JEST_MAX_WORKERS ?? 2,
  // Bounds e2e waits (boot, jobs, child processes); unit tests finish far below it.
  testTimeout: 120000,
};
