/**
 * Best-of-n with each kind of judge on `syntheticCandidates` sets, and what it costs:
 *
 * | judge | how it picks | judge calls per set |
 * |---|---|---|
 * | pointwise GRM | argmax of its scores (k samples averaged; k = 1 greedy) | n k |
 * | pairwise GRM | Copeland round robin, every pair in both orders | n (n - 1) |
 * | scalar B-T | argmax of its rewards | n (forward passes, no generation) |
 *
 * Ties are broken by a seeded PRNG; a set where a pointwise judge scores no candidate is picked
 * at random (counted as `undecided`: a judge that cannot decide is as good as chance). The
 * picked candidate's hidden quality is compared with the oracle's (the best quality in the set).
 *
 * @module
 */
import type { SyntheticCandidateSet } from "../data/synthetic/candidates.ts";
import { orderedPairs, pickBest, roundRobinWinner } from "../eval/ranking.ts";
import { votingScore } from "../eval/voting.ts";
import { createPrng, type Prng } from "../rng/prng.ts";
import type { JudgeModel, ModelKind } from "../baselines/judge_checkpoint.ts";
import { judgeComparisons } from "../baselines/pairwise_judge.ts";
import { scoreWithScalar } from "../baselines/scalar_head.ts";
import { POINTWISE_MAX_NEW_TOKENS } from "./pointwise_eval.ts";
import { pointwiseScores } from "./pointwise_scores.ts";
import type { ResponseItem } from "./responses.ts";

/** Picks of one judge over candidate sets. */
export interface Picks {
  /** Picked candidate per set. */
  readonly picks: number[];
  /** Sets where the judge gave no usable signal (picked at random). */
  readonly undecided: number;
  /** Judge calls made (generations, or forward passes for scalar). */
  readonly calls: number;
  /** Wall-clock seconds of the judging. */
  readonly seconds: number;
}

/** Options of a ranker. */
export interface RankOptions {
  /** Pointwise samples per candidate (1: greedy). Default 1. */
  readonly k?: number;
  /** Seed of sampling and tie-breaking. Default 0. */
  readonly seed?: number;
  /** Prompts per call. Default 64. */
  readonly chunk?: number;
  /** Generation cap (pointwise; the pairwise judge uses its own default). */
  readonly maxNewTokens?: number;
}

const itemsOf = (set: SyntheticCandidateSet): ResponseItem[] =>
  set.candidates.map((c) => ({
    context: [{ role: "user", content: set.prompt }],
    response: c.text,
  }));

function argmaxPicks(
  sets: readonly SyntheticCandidateSet[],
  scores: readonly (number | null)[],
  prng: Prng,
): { picks: number[]; undecided: number } {
  let offset = 0, undecided = 0;
  const picks = sets.map((set) => {
    const n = set.candidates.length;
    const best = pickBest(scores.slice(offset, offset + n), { prng });
    offset += n;
    if (best.index !== null) return best.index;
    undecided++;
    return prng.int(n);
  });
  return { picks, undecided };
}

/** Pointwise GRM: n k generations per set (k = 1 greedy, else the mean of valid samples). */
export async function rankPointwise(
  model: JudgeModel,
  sets: readonly SyntheticCandidateSet[],
  options: RankOptions = {},
): Promise<Picks> {
  const { k = 1, seed = 0, chunk, maxNewTokens = POINTWISE_MAX_NEW_TOKENS } = options;
  const started = performance.now();
  const items = sets.flatMap(itemsOf);
  const out = await pointwiseScores(model, items, {
    samples: k > 1 ? k : 0,
    greedy: k === 1,
    maxNewTokens,
    seed,
    chunk,
  });
  const scores = k > 1
    ? out.samples.map((s) => votingScore(s.map((x) => x.score)))
    : out.greedy.map((s) => s.score);
  const seconds = (performance.now() - started) / 1000;
  return { ...argmaxPicks(sets, scores, createPrng(seed + 1)), calls: out.calls, seconds };
}

/** Scalar B-T: n forward passes per set. */
export async function rankScalar(
  model: JudgeModel,
  sets: readonly SyntheticCandidateSet[],
  options: RankOptions = {},
): Promise<Picks> {
  const started = performance.now();
  const items = sets.flatMap(itemsOf);
  const rewards = await scoreWithScalar(model, items, { chunk: options.chunk });
  const seconds = (performance.now() - started) / 1000;
  return {
    ...argmaxPicks(sets, rewards, createPrng((options.seed ?? 0) + 1)),
    calls: items.length,
    seconds,
  };
}

/** Pairwise GRM: round robin with both orders, n (n - 1) greedy generations per set. */
export async function rankPairwise(
  model: JudgeModel,
  sets: readonly SyntheticCandidateSet[],
  options: RankOptions = {},
): Promise<Picks> {
  const started = performance.now();
  const ordered = sets.map((set) => orderedPairs(set.candidates.length));
  const comparisons = sets.flatMap((set, s) =>
    ordered[s].map(([i, j]) => ({
      context: [{ role: "user" as const, content: set.prompt }],
      first: set.candidates[i].text,
      second: set.candidates[j].text,
    }))
  );
  const judged = await judgeComparisons(model, comparisons, {
    greedy: true,
    batchPrompts: options.chunk,
  });
  const seconds = (performance.now() - started) / 1000;
  const prng = createPrng((options.seed ?? 0) + 1);
  let offset = 0, undecided = 0, calls = 0;
  const picks = sets.map((set, s) => {
    const credit = new Map<string, number | null>();
    ordered[s].forEach(([i, j], t) => {
      const v = judged[offset + t].verdict;
      credit.set(`${i},${j}`, v === "A>B" ? 1 : v === "B>A" ? 0 : null);
    });
    offset += ordered[s].length;
    if ([...credit.values()].every((c) => c === null)) undecided++;
    const result = roundRobinWinner(set.candidates.length, (i, j) => credit.get(`${i},${j}`)!, {
      prng,
    });
    calls += result.calls;
    return result.winner;
  });
  return { picks, undecided, calls, seconds };
}

/** The ranker of each kind of judge. */
export const RANKERS: Readonly<
  Record<
    ModelKind,
    (m: JudgeModel, s: readonly SyntheticCandidateSet[], o: RankOptions) => Promise<Picks>
  >
> = Object.freeze({ pointwise: rankPointwise, pairwise: rankPairwise, scalar: rankScalar });

/** One row of the ranking benchmark. */
export interface RankRow {
  readonly judge: string;
  readonly kind: ModelKind;
  readonly n: number;
  readonly sets: number;
  readonly calls: number;
  readonly seconds: number;
  /** Mean hidden quality of the picked candidates. */
  readonly pickedQuality: number;
  /** Mean best quality per set (the oracle's pick). */
  readonly oracleQuality: number;
  /** Share of sets where the pick has the best quality. */
  readonly hitRate: number;
  readonly undecided: number;
}

/**
 * Scores picks against the hidden qualities: mean picked quality, mean oracle quality, hit rate.
 *
 * @example
 * ```ts
 * import { scorePicks } from "./ranking_run.ts";
 * import { assertEquals } from "@std/assert";
 * const sets = [{ candidates: [{ quality: 3 }, { quality: 9 }] }, { candidates: [{ quality: 5 }, { quality: 5 }] }];
 * assertEquals(scorePicks(sets, [0, 1]), { pickedQuality: 4, oracleQuality: 7, hitRate: 0.5 });
 * ```
 */
export function scorePicks(
  sets: readonly { candidates: readonly { quality: number }[] }[],
  picks: readonly number[],
): { pickedQuality: number; oracleQuality: number; hitRate: number } {
  if (sets.length === 0 || picks.length !== sets.length) {
    throw new RangeError(`scorePicks: ${picks.length} picks for ${sets.length} sets`);
  }
  let picked = 0, oracle = 0, hits = 0;
  sets.forEach((set, s) => {
    const best = Math.max(...set.candidates.map((c) => c.quality));
    const q = set.candidates[picks[s]].quality;
    picked += q;
    oracle += best;
    if (q === best) hits++;
  });
  return {
    pickedQuality: picked / sets.length,
    oracleQuality: oracle / sets.length,
    hitRate: hits / sets.length,
  };
}

/**
 * Cost ratios per n against a reference judge kind (default pointwise): calls ratio and time
 * ratio of every other judge, so "time tracks calls" can be read off directly.
 *
 * @example
 * ```ts
 * import { rankingRatios } from "./ranking_run.ts";
 * import { assertEquals } from "@std/assert";
 * const row = (kind: "pointwise" | "pairwise", calls: number, seconds: number) =>
 *   ({ judge: kind, kind, n: 8, sets: 1, calls, seconds, pickedQuality: 0, oracleQuality: 0, hitRate: 0, undecided: 0 });
 * assertEquals(rankingRatios([row("pointwise", 8, 1), row("pairwise", 56, 6.5)]),
 *   [{ n: 8, judge: "pairwise", versus: "pointwise", callRatio: 7, timeRatio: 6.5 }]);
 * ```
 */
export function rankingRatios(
  rows: readonly RankRow[],
  reference: ModelKind = "pointwise",
): { n: number; judge: string; versus: string; callRatio: number; timeRatio: number }[] {
  return rows.flatMap((row) => {
    const base = rows.find((r) => r.kind === reference && r.n === row.n);
    if (!base || row === base) return [];
    return [{
      n: row.n,
      judge: row.judge,
      versus: base.judge,
      callRatio: row.calls / base.calls,
      timeRatio: row.seconds / base.seconds,
    }];
  });
}
