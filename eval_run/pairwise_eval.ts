/**
 * Evaluating the pairwise GRM on pairs: each pair is judged in BOTH presentation orders
 * (JudgeBench convention) and scored through {@link bothOrderPairOutcome}: correct when the two
 * verdicts agree with the label, a tie (0.5 under the IRPM convention) when the orders disagree,
 * a parse error when a verdict is missing. JudgeBench's own counter-rule accuracy is reported too.
 *
 * Voting@k for a pairwise judge: k sampled verdicts per order, each read as the number it wrote
 * (1 or 2), averaged over the valid ones exactly like pointwise voting ({@link voteVerdict}).
 *
 * @module
 */
import { summarize } from "../eval/accuracy.ts";
import { type BothOrderJudgment, judgeBenchAccuracy, type Verdict } from "../eval/judgebench.ts";
import { type VotingRow, votingScore } from "../eval/voting.ts";
import type { ModelConfig } from "../model/config.ts";
import type { Params } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import type { Comparison } from "../baselines/pairwise_format.ts";
import { judgeComparisons, type JudgedComparison } from "../baselines/pairwise_judge.ts";
import { bothOrderPairOutcome, summarizeOutcomes } from "./aggregate.ts";
import type { EvalPair, EvalSet } from "./eval_set.ts";
import {
  DEFAULT_KS,
  type EvaluateOptions,
  type ModelEvaluation,
  samplesNeeded,
} from "./evaluation.ts";

/**
 * Majority of sampled verdicts as a mean: v = mean over valid verdicts of (1 for "A>B", 2 for
 * "B>A"); "A>B" if v < 1.5, "B>A" if v > 1.5, "A=B" if v = 1.5, null when none is valid.
 *
 * @example
 * ```ts
 * import { voteVerdict } from "./pairwise_eval.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(voteVerdict(["A>B", "B>A", "A>B", null]), "A>B"); // (1 + 2 + 1) / 3 < 1.5
 * assertEquals(voteVerdict(["A>B", "B>A"]), "A=B");
 * assertEquals(voteVerdict([null]), null);
 * ```
 */
export function voteVerdict(verdicts: readonly (Verdict | null)[]): Verdict | null {
  const v = votingScore(verdicts.map((x) => (x === "A>B" ? 1 : x === "B>A" ? 2 : null)));
  if (v === null) return null;
  return v < 1.5 ? "A>B" : v > 1.5 ? "B>A" : "A=B";
}

/**
 * The two presentations of a pair: forward in the source's order (chosen first unless
 * `chosenFirst` is false), swapped reversed; `label` is the correct forward verdict.
 *
 * @example
 * ```ts
 * import { presentations } from "./pairwise_eval.ts";
 * import { assertEquals } from "@std/assert";
 * const p = presentations({ context: [], chosen: "c", rejected: "r", chosenFirst: false });
 * assertEquals([p.forward.first, p.swapped.first, p.label], ["r", "c", "B>A"]);
 * ```
 */
export function presentations(
  pair: Pick<EvalPair, "context" | "chosen" | "rejected" | "chosenFirst">,
): { forward: Comparison; swapped: Comparison; label: "A>B" | "B>A" } {
  const chosenFirst = pair.chosenFirst ?? true;
  const [a, b] = chosenFirst ? [pair.chosen, pair.rejected] : [pair.rejected, pair.chosen];
  return {
    forward: { context: pair.context, first: a, second: b },
    swapped: { context: pair.context, first: b, second: a },
    label: chosenFirst ? "A>B" : "B>A",
  };
}

async function judgeChunked(
  model: { params: Params; config: ModelConfig },
  comparisons: readonly Comparison[],
  options: {
    rollouts: number;
    greedy: boolean;
    seed: number;
    chunk: number;
    maxNewTokens?: number;
  },
  progress: (n: number) => void,
): Promise<JudgedComparison[][]> {
  const rng = createPrng(options.seed);
  const out: JudgedComparison[][] = comparisons.map(() => []);
  const per = Math.max(1, Math.floor(options.chunk / options.rollouts));
  for (let start = 0; start < comparisons.length; start += per) {
    const part = comparisons.slice(start, start + per);
    const judged = await judgeComparisons(model, part, {
      rollouts: options.rollouts,
      greedy: options.greedy,
      rng: options.greedy ? undefined : rng,
      maxNewTokens: options.maxNewTokens,
      batchPrompts: per,
    });
    for (const j of judged) out[start + j.item].push(j);
    progress(part.length * options.rollouts);
  }
  return out;
}

/** Evaluates a pairwise GRM; trace per pair: verdicts and texts of both orders, samples, outcome. */
export async function evaluatePairwise(
  model: { params: Params; config: ModelConfig },
  set: EvalSet,
  options: EvaluateOptions = {},
): Promise<ModelEvaluation> {
  const { ks = DEFAULT_KS, seed = 0, chunk = 64, maxNewTokens } = options;
  const k = samplesNeeded(ks);
  const shown = set.pairs.map(presentations);
  const comparisons = shown.flatMap((s) => [s.forward, s.swapped]); // pair p: rows 2p, 2p + 1
  const total = comparisons.length * (1 + k);
  let done = 0;
  const progress = (n: number) => {
    done += n;
    options.onProgress?.(done, total, "pairwise judgments");
  };
  const started = performance.now();
  const greedy = await judgeChunked(
    model,
    comparisons,
    { rollouts: 1, greedy: true, seed, chunk, maxNewTokens },
    progress,
  );
  const sampled = k > 0
    ? await judgeChunked(
      model,
      comparisons,
      { rollouts: k, greedy: false, seed, chunk, maxNewTokens },
      progress,
    )
    : comparisons.map(() => []);
  const seconds = (performance.now() - started) / 1000;
  const judgment = (p: number, pick: (c: number) => Verdict | null): BothOrderJudgment => ({
    forward: pick(2 * p),
    swapped: pick(2 * p + 1),
    label: shown[p].label,
  });
  const greedyJudgments = set.pairs.map((_, p) => judgment(p, (c) => greedy[c][0].verdict));
  const rows = set.pairs.map((pair, p) => ({
    id: pair.id,
    domain: pair.domain,
    subset: pair.subset,
    level: pair.level,
    outcome: bothOrderPairOutcome(greedyJudgments[p]),
  }));
  const voting: VotingRow[] = ks.map((kk) => {
    if (kk === 1) return { k: 1, source: "greedy", ...summarize(rows.map((r) => r.outcome)) };
    const outcomes = set.pairs.map((_, p) =>
      bothOrderPairOutcome(
        judgment(p, (c) => voteVerdict(sampled[c].slice(0, kk).map((j) => j.verdict))),
      )
    );
    return { k: kk, source: "samples", ...summarize(outcomes) };
  });
  const { items: _items, ...judgeBench } = judgeBenchAccuracy(greedyJudgments);
  return {
    kind: "pairwise",
    summary: summarizeOutcomes(rows),
    voting,
    judgeBench,
    calls: total,
    seconds,
    traces: set.pairs.map((pair, p) => {
      const order = (c: number) => ({
        verdict: greedy[c][0].verdict,
        text: greedy[c][0].text,
        samples: sampled[c].map((j) => j.verdict),
      });
      return {
        pair: pair.id,
        domain: pair.domain,
        ...(pair.subset === undefined ? {} : { subset: pair.subset }),
        ...(pair.level === undefined ? {} : { level: pair.level, item: pair.item }),
        label: shown[p].label,
        forward: order(2 * p),
        swapped: order(2 * p + 1),
        ...rows[p].outcome,
      };
    }),
  };
}
