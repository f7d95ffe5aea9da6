/**
 * Score calibration on the synthetic suite: are a judge's pointwise scores comparable ACROSS
 * candidate sets, not only within a pair? Every candidate of `syntheticCandidates` sets is scored
 * alone and the scores are rank-correlated with the hidden true quality:
 *
 * - pooled: Spearman's rho over all candidates of all sets together (the cross-set property);
 * - within-set: the mean of each set's own rho (sets where rho is undefined, e.g. constant
 *   scores, are left out and counted).
 *
 * A judge whose scores are only meaningful relative to each other (a Bradley-Terry scalar with a
 * per-prompt offset) can rank within sets well and still pool badly.
 *
 * @module
 */
import { syntheticCandidates } from "../data/synthetic/candidates.ts";
import { spearman, type SpearmanResult } from "../eval/spearman.ts";
import type { ResponseItem } from "./responses.ts";

/** Scores each response alone (`null` = unparseable), with an optional text per response. */
export type ResponseScorer = (
  items: readonly ResponseItem[],
) => Promise<{ scores: (number | null)[]; texts?: string[]; calls: number }>;

/** Options of {@link calibration}. */
export interface CalibrationOptions {
  /** Seed of the candidate sets. Default 1 (the held-out pairs use their own stream). */
  readonly seed?: number;
  /** Number of candidate sets. Default 64. */
  readonly sets?: number;
  /** Candidates per set. Default 4. */
  readonly n?: number;
}

/** Result of {@link calibration}. */
export interface CalibrationResult {
  /** Spearman over all candidates pooled. */
  readonly pooled: SpearmanResult;
  /** Mean within-set rho and how many sets were defined / undefined. */
  readonly withinSet: { meanRho: number; sets: number; undefinedSets: number };
  /** Judge calls made. */
  readonly calls: number;
  /** Wall-clock seconds. */
  readonly seconds: number;
  /** One record per candidate: set, quality, score, judge output. */
  readonly traces: Record<string, unknown>[];
}

/**
 * Mean of the within-set Spearman rhos (NaN rhos left out and counted).
 *
 * @example
 * ```ts
 * import { withinSetSpearman } from "./calibration.ts";
 * import { assertEquals } from "@std/assert";
 * // set 1 perfectly ordered (rho 1), set 2 reversed (rho -1), set 3 constant scores (undefined)
 * const r = withinSetSpearman([[1, 2, 3], [3, 2, 1], [5, 5, 5]], [[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
 * assertEquals(r, { meanRho: 0, sets: 2, undefinedSets: 1 });
 * ```
 */
export function withinSetSpearman(
  scores: readonly (readonly (number | null)[])[],
  qualities: readonly (readonly number[])[],
): { meanRho: number; sets: number; undefinedSets: number } {
  if (scores.length !== qualities.length) {
    throw new RangeError(`withinSetSpearman: ${scores.length} score sets, ${qualities.length}`);
  }
  const rhos = scores.map((s, i) => spearman(s, qualities[i]).rho);
  const defined = rhos.filter((r) => !Number.isNaN(r));
  return {
    meanRho: defined.length === 0 ? NaN : defined.reduce((a, b) => a + b, 0) / defined.length,
    sets: defined.length,
    undefinedSets: rhos.length - defined.length,
  };
}

/** Scores every candidate of the synthetic sets with `scorer` and correlates with quality. */
export async function calibration(
  scorer: ResponseScorer,
  options: CalibrationOptions = {},
): Promise<CalibrationResult> {
  const { seed = 1, sets: count = 64, n = 4 } = options;
  const sets = syntheticCandidates({ seed, n, count });
  const items = sets.flatMap((set) =>
    set.candidates.map((c) => ({
      context: [{ role: "user" as const, content: set.prompt }],
      response: c.text,
    }))
  );
  const started = performance.now();
  const { scores, texts, calls } = await scorer(items);
  const seconds = (performance.now() - started) / 1000;
  const qualities = sets.flatMap((set) => set.candidates.map((c) => c.quality));
  const perSet = (xs: readonly (number | null)[]) => sets.map((_, i) => xs.slice(i * n, i * n + n));
  const traces = sets.flatMap((set, i) =>
    set.candidates.map((c, j) => ({
      set: set.id,
      domain: set.domain,
      prompt: set.prompt,
      candidate: c.text,
      quality: c.quality,
      score: scores[i * n + j],
      ...(texts ? { text: texts[i * n + j] } : {}),
    }))
  );
  return {
    pooled: spearman(scores, qualities),
    withinSet: withinSetSpearman(perSet(scores), perSet(qualities) as number[][]),
    calls,
    seconds,
    traces,
  };
}
