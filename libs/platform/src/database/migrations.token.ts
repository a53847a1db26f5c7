export const MIGRATIONS = Symbol('MIGRATIONS');
