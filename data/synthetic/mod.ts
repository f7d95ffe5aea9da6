/**
 * The seeded synthetic preference suite: small verifiable tasks (arith, reverse, sort), seeded
 * corrupted responses with hidden quality, HelpSteer3-format pair rows, candidate sets, and the
 * critique a judge should write.
 *
 * Task and scoring: `task.ts`, `score.ts`, `corrupt.ts`; one file per domain (`arith.ts`,
 * `reverse.ts`, `sort.ts`) registered in `domains.ts`; rows and splits in `suite.ts`; best-of-n
 * sets in `candidates.ts`. Regenerate the checked-in sample with
 * `deno run -A data/synthetic/write_sample.ts`.
 *
 * @module
 */
export * from "./task.ts";
export * from "./score.ts";
export * from "./corrupt.ts";
export * from "./arith.ts";
export * from "./reverse.ts";
export * from "./sort.ts";
export * from "./domains.ts";
export * from "./suite.ts";
export * from "./candidates.ts";
