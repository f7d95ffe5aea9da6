/**
 * CLI: rewrites `data/samples/synthetic_sample.jsonl` (24 rows, seed 0). The test in
 * `suite_test.ts` checks that the checked-in file equals a fresh regeneration byte for byte.
 *
 *     deno run -A data/synthetic/write_sample.ts
 *
 * @module
 */
import { syntheticJsonl, syntheticSuite } from "./suite.ts";

/** Where the sample lives and how it is made (shared with the test). */
export const SYNTHETIC_SAMPLE = Object.freeze({
  path: new URL("../samples/synthetic_sample.jsonl", import.meta.url),
  seed: 0,
  size: 24,
});

if (import.meta.main) {
  const { path, seed, size } = SYNTHETIC_SAMPLE;
  await Deno.writeTextFile(path, syntheticJsonl(syntheticSuite({ seed, size })));
  console.log(`wrote ${size} rows (seed ${seed}) to ${path.pathname}`);
}
