/**
 * The two runs every model-based fuzz makes: a fixed seed (the same sequences on every machine) and
 * a random one, printed so that `FUZZ_SEED=<it>` replays a failure. `npm run fuzz` sets FUZZ_RUNS
 * higher and FUZZ_SHRINK=1 (shrinking replays a failing run many times to find the shortest).
 */
import fc from 'fast-check';

/**
 * How long a fuzz runs: FUZZ_RUNS sequences of at most FUZZ_STEPS steps (the model's defaults
 * otherwise), and a time bound generous for a loaded machine (×10 while shrinking).
 */
export function fuzzSettings(defaults: { runs: number; steps: number; msPerStep: number }) {
  const runs = Number(process.env.FUZZ_RUNS ?? defaults.runs);
  const maxSteps = Number(process.env.FUZZ_STEPS ?? defaults.steps);
  const shrink = process.env.FUZZ_SHRINK === '1';
  return { runs, maxSteps, timeoutMs: Math.max(120_000, runs * maxSteps * defaults.msPerStep) * (shrink ? 10 : 1) };
}

export function itFollowsTheModel(
  property: fc.IAsyncProperty<[unknown]> | fc.IAsyncPropertyWithHooks<[unknown]>,
  options: { fixedSeed: number; runs: number; timeoutMs: number },
): void {
  const shrink = process.env.FUZZ_SHRINK === '1';
  const check = (seed: number) => fc.assert(property, { seed, numRuns: options.runs, endOnFailure: !shrink });
  it(`follows the model for a fixed seed (${options.fixedSeed})`, () => check(options.fixedSeed), options.timeoutMs);
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
  it(
    `follows the model for a random seed (${seed}; FUZZ_SEED=${seed} replays it)`,
    () => check(seed),
    options.timeoutMs,
  );
}
