/**
 * Preference data for the kit: JSONL loaders with file:line:field errors (HelpSteer3,
 * RewardBench-style pairwise, RM-Bench), the common {@link PreferencePair} type, the judge
 * prompt/completion format, and the seeded synthetic suite with its warm-start targets.
 *
 * - `types.ts`: Turn, PreferencePair
 * - `jsonl.ts`, `fields.ts`: DataError, decodeUtf8 / readTextFileStrict (strict UTF-8, missing
 *   file -> DataError), parseJsonl, readJsonlFile, field validators
 * - `duplicates.ts`: dropDuplicatePairs, dropOverlap (held-out vs training), describeDuplicates
 * - `helpsteer3.ts`: parseHelpSteer3 -> helpSteer3Pairs (filters of method.md), readHelpSteer3
 * - `pairwise_jsonl.ts`: parsePairwise, readPairwise
 * - `rm_bench.ts`: parseRmBench, rmBenchPairs (3 x 3 styles), readRmBench
 * - `judge_prompt.ts`: judgePrompt, judgeCompletion, judgeLength
 * - `synthetic/`: syntheticSuite, syntheticPairs, syntheticSplits, syntheticCandidates, ...
 * - `synthetic_target.ts`: warm-start targets (independent and mirrored score priors)
 *
 * @module
 */
export * from "./types.ts";
export * from "./jsonl.ts";
export * from "./fields.ts";
export * from "./duplicates.ts";
export * from "./helpsteer3.ts";
export * from "./pairwise_jsonl.ts";
export * from "./rm_bench.ts";
export * from "./judge_prompt.ts";
export * from "./synthetic/mod.ts";
export * from "./synthetic_target.ts";
