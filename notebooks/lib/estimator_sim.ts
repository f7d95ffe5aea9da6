/**
 * Monte-Carlo experiments on the intergroup estimator (IRPM Eq. 4): many replicate pairs of score
 * groups drawn from known score distributions, each summarised by the kit's
 * `estimatorDiagnostics`, so a notebook can compare P_hat with the exact expectation (Eq. 3).
 *
 * @module
 */
import { estimatorDiagnostics, mean, median, sampleVariance } from "../../irpm/mod.ts";
import type { Prng } from "../../rng/mod.ts";
import { discretizedNormal, sampleScores, type ScoreDistribution } from "./score_model.ts";

/** The two score distributions of one pair: the chosen and the rejected response's. */
export type PairDistributions = { chosen: ScoreDistribution; rejected: ScoreDistribution };

/** Mean, unbiased standard deviation and standard error of the mean of a sample. */
export type SampleSummary = {
  count: number;
  mean: number;
  sd: number;
  standardErrorOfMean: number;
};

/**
 * mean = (1/n) sum x, sd = sqrt(sum (x - mean)^2 / (n - 1)), SEM = sd / sqrt(n).
 *
 * @example
 * ```ts
 * import { summarize } from "./estimator_sim.ts";
 * import { assertEquals } from "@std/assert";
 * // mean 5; squared deviations 4 + 0 + 4 = 8; sd = sqrt(8 / 2) = 2; SEM = 2 / sqrt(3)
 * assertEquals(summarize([3, 5, 7]), { count: 3, mean: 5, sd: 2, standardErrorOfMean: 2 / Math.sqrt(3) });
 * ```
 */
export function summarize(values: readonly number[]): SampleSummary {
  if (values.length < 2) {
    throw new RangeError(`summarize: needs at least 2 values, got ${values.length}`);
  }
  const count = values.length;
  const sd = Math.sqrt(sampleVariance(values));
  return { count, mean: mean(values), sd, standardErrorOfMean: sd / Math.sqrt(count) };
}

/** One replicate per entry: P_hat, its estimated standard error, and the signal-to-noise ratio. */
export type EstimatorSimulation = {
  groupSize: number;
  pHats: number[];
  standardErrors: number[];
  signalToNoise: number[];
};

/** Options of {@link simulateEstimator}. */
export type SimulationOptions = { groupSize: number; replicates: number; rng: Prng };

/**
 * Draws `replicates` independent pairs of groups (G = groupSize scores per side) and records
 * estimatorDiagnostics of each.
 *
 * @example
 * ```ts
 * import { simulateEstimator } from "./estimator_sim.ts";
 * import { createPrng } from "../../rng/mod.ts";
 * import { assertEquals } from "@std/assert";
 * const fixed = { chosen: { values: [7], probabilities: [1] }, rejected: { values: [7], probabilities: [1] } };
 * const sim = simulateEstimator(fixed, { groupSize: 2, replicates: 3, rng: createPrng(0) });
 * assertEquals(sim.pHats, [0.5, 0.5, 0.5]); // sigmoid(7 - 7) every time
 * ```
 */
export function simulateEstimator(
  pair: PairDistributions,
  options: SimulationOptions,
): EstimatorSimulation {
  const { groupSize, replicates, rng } = options;
  if (!Number.isInteger(groupSize) || groupSize < 1) {
    throw new RangeError(
      `simulateEstimator: groupSize must be a positive integer, got ${groupSize}`,
    );
  }
  if (!Number.isInteger(replicates) || replicates < 1) {
    throw new RangeError(
      `simulateEstimator: replicates must be a positive integer, got ${replicates}`,
    );
  }
  const sim: EstimatorSimulation = { groupSize, pHats: [], standardErrors: [], signalToNoise: [] };
  for (let r = 0; r < replicates; r++) {
    const chosen = sampleScores(pair.chosen, { count: groupSize, rng });
    const rejected = sampleScores(pair.rejected, { count: groupSize, rng });
    const d = estimatorDiagnostics(chosen, rejected);
    sim.pHats.push(d.pHat);
    sim.standardErrors.push(d.standardError);
    sim.signalToNoise.push(d.signalToNoise);
  }
  return sim;
}

/** One cell of {@link signalToNoiseSweep}: median signal-to-noise at a true gap and group size. */
export type SnrPoint = { gap: number; groupSize: number; medianSignalToNoise: number };

/** Options of {@link signalToNoiseSweep}. */
export type SnrSweepOptions = {
  /** True mean score gaps, chosen minus rejected, before rounding to the 0-10 grid. */
  gaps: readonly number[];
  groupSizes: readonly number[];
  /** Score noise sd of both responses (default 1.5) around `center` (default 5.5). */
  sd?: number;
  center?: number;
  replicates: number;
  rng: Prng;
};

/**
 * For each true gap and group size: chosen ~ discretizedNormal(center + gap/2, sd), rejected ~
 * discretizedNormal(center - gap/2, sd), and the median over replicates of
 * signalToNoise = (mean_c - mean_r)^2 / pooled within-group variance. The median is used because
 * the ratio is heavy-tailed (and Infinity when both groups happen to be constant).
 *
 * @example
 * ```ts
 * import { signalToNoiseSweep } from "./estimator_sim.ts";
 * import { createPrng } from "../../rng/mod.ts";
 * import { assertEquals } from "@std/assert";
 * const points = signalToNoiseSweep({ gaps: [0, 2], groupSizes: [4], replicates: 50, rng: createPrng(3) });
 * assertEquals(points.map((p) => [p.gap, p.groupSize]), [[0, 4], [2, 4]]);
 * ```
 */
export function signalToNoiseSweep(options: SnrSweepOptions): SnrPoint[] {
  const sd = options.sd ?? 1.5;
  const center = options.center ?? 5.5;
  const points: SnrPoint[] = [];
  for (const gap of options.gaps) {
    const pair = {
      chosen: discretizedNormal(center + gap / 2, sd),
      rejected: discretizedNormal(center - gap / 2, sd),
    };
    for (const groupSize of options.groupSizes) {
      const sim = simulateEstimator(pair, {
        groupSize,
        replicates: options.replicates,
        rng: options.rng,
      });
      points.push({ gap, groupSize, medianSignalToNoise: median(sim.signalToNoise) });
    }
  }
  return points;
}
