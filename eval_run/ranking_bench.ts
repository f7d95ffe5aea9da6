/**
 * The ranking benchmark behind `deno task rank`: for each n, the same `syntheticCandidates` sets
 * are ranked by every judge ({@link RANKERS}), and each judge's calls, wall time and picked vs
 * oracle quality are recorded. {@link rankingRatios} turns the rows into cost ratios.
 *
 * @module
 */
import { syntheticCandidates } from "../data/synthetic/candidates.ts";
import type { JudgeModel } from "../baselines/judge_checkpoint.ts";
import { RANKERS, type RankOptions, type RankRow, scorePicks } from "./ranking_run.ts";

/** Options of {@link rankingBench}. */
export interface RankingBenchOptions extends RankOptions {
  /** Candidate counts. Default [2, 4, 8, 16]. */
  readonly ns?: readonly number[];
  /** Candidate sets per n. Default 32. */
  readonly sets?: number;
  /** Called before each (judge, n). */
  readonly onProgress?: (judge: string, n: number) => void;
}

/** Ranks the same sets with every judge for every n. */
export async function rankingBench(
  judges: readonly (JudgeModel & { name: string })[],
  options: RankingBenchOptions = {},
): Promise<RankRow[]> {
  const { ns = [2, 4, 8, 16], sets: count = 32, seed = 0 } = options;
  for (const n of ns) {
    if (!Number.isInteger(n) || n < 2) {
      throw new RangeError(`rankingBench: each n must be an integer >= 2, got ${n}`);
    }
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`rankingBench: sets must be >= 1, got ${count}`);
  }
  const rows: RankRow[] = [];
  for (const n of ns) {
    const sets = syntheticCandidates({ seed: seed + 1000 * n, n, count });
    for (const judge of judges) {
      options.onProgress?.(judge.name, n);
      const picks = await RANKERS[judge.kind](judge, sets, options);
      rows.push({
        judge: judge.name,
        kind: judge.kind,
        n,
        sets: count,
        calls: picks.calls,
        seconds: picks.seconds,
        undecided: picks.undecided,
        ...scorePicks(sets, picks.picks),
      });
    }
  }
  return rows;
}
