import { ConfigurationError, validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('applies defaults when nothing is set', () => {
    const env = validateEnvironment({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.MIGRATIONS_RUN).toBe(true);
  });

  it('converts numbers and booleans from strings', () => {
    const env = validateEnvironment({ PORT: '8080', MIGRATIONS_RUN: 'false' });
    expect(env.PORT).toBe(8080);
    expect(env.MIGRATIONS_RUN).toBe(false);
  });

  it('treats empty strings as unset', () => {
    expect(validateEnvironment({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });

  it('names the variable and what it expects', () => {
    expect(() => validateEnvironment({ PORT: 'eighty' })).toThrow(ConfigurationError);
    expect(() => validateEnvironment({ PORT: 'eighty' })).toThrow(/PORT="eighty" .*integer/);
    expect(() => validateEnvironment({ DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL="mysql:\/\/x" must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
  });
});
