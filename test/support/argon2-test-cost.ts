/**
 * e2e tests only (jest's setupFiles of the e2e project): passwords are hashed with argon2id at a
 * small cost (1 MiB, one pass) instead of the library's defaults (19 MiB, two passes, about 14 ms of
 * CPU a hash and as much a verification). The e2e files create and sign in a few thousand people;
 * the hashes are still real argon2id hashes, verified by the real library, which reads the cost from
 * each stored hash. The application's own code and configuration are unchanged: a real server
 * (`kelisim start`, the CLI, the browser tests' servers) hashes with the defaults.
 */
jest.mock('@node-rs/argon2', () => {
  const real = jest.requireActual<typeof import('@node-rs/argon2')>('@node-rs/argon2');
  const cost = { memoryCost: 1024, timeCost: 1 };
  return {
    ...real,
    hash: (password: string | Uint8Array, options?: import('@node-rs/argon2').Options | null, signal?: AbortSignal) =>
      real.hash(password, { ...options, ...cost }, signal),
  };
});
