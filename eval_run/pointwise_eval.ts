/**
 * Evaluating a pointwise GRM on pairs: every distinct response is judged alone (greedy, plus k
 * samples for voting@k), each pair is decided from its two scores (method.md "Evaluation"), and
 * the outcomes are summarised by {@link summarizeOutcomes}.
 *
 * @module
 */
import { judgeBenchAccuracy } from "../eval/judgebench.ts";
import { pairOutcome } from "../eval/pair_decision.ts";
import { votingAccuracyTable } from "../eval/voting.ts";
import type { ModelConfig } from "../model/config.ts";
import type { Params } from "../model/params.ts";
import { bothOrderFromScores, summarizeOutcomes } from "./aggregate.ts";
import type { EvalSet } from "./eval_set.ts";
import {
  DEFAULT_KS,
  type EvaluateOptions,
  type ModelEvaluation,
  samplesNeeded,
} from "./evaluation.ts";
import { pointwiseScores, readoutScores } from "./pointwise_scores.ts";
import { DEFAULT_TRAIN_CONFIG } from "../train/config.ts";
import { uniqueResponses } from "./responses.ts";

/** Default generation cap: the trainer's (the synthetic critique + score need <= 31 tokens). */
export const POINTWISE_MAX_NEW_TOKENS: number = DEFAULT_TRAIN_CONFIG.maxNewTokens;

/**
 * Evaluates a pointwise GRM. Trace per pair: greedy scores and texts of both sides, the sampled
 * scores, and the greedy outcome.
 */
export async function evaluatePointwise(
  model: { params: Params; config: ModelConfig },
  set: EvalSet,
  options: EvaluateOptions = {},
): Promise<ModelEvaluation> {
  const { ks = DEFAULT_KS, maxNewTokens = POINTWISE_MAX_NEW_TOKENS, seed = 0, chunk } = options;
  const k = samplesNeeded(ks);
  const started = performance.now();
  const table = uniqueResponses(set.pairs);
  const scored = await pointwiseScores(model, table.items, {
    samples: k,
    maxNewTokens,
    seed,
    chunk,
    onProgress: (done, total) => options.onProgress?.(done, total, "pointwise judgments"),
  });
  const readout = options.readout ?? "greedy";
  const counted = await readoutScores(model, { items: table.items, greedy: scored.greedy }, {
    readout,
    maxNewTokens,
  });
  const seconds = (performance.now() - started) / 1000;
  const greedy = (i: number) => scored.greedy[i].score;
  // what each pair's outcome counts: the greedy digits, or the expected-score readout
  const score = (i: number) => counted[i];
  const rows = set.pairs.map((pair, p) => ({
    id: pair.id,
    domain: pair.domain,
    subset: pair.subset,
    level: pair.level,
    outcome: pairOutcome(score(table.chosen[p]), score(table.rejected[p])),
  }));
  const voting = ks.length === 0 ? [] : votingAccuracyTable(
    set.pairs.map((_, p) => ({
      chosen: k > 0 ? scored.samples[table.chosen[p]].map((s) => s.score) : [],
      rejected: k > 0 ? scored.samples[table.rejected[p]].map((s) => s.score) : [],
    })),
    {
      ks,
      greedy: set.pairs.map((_, p) => ({
        chosen: greedy(table.chosen[p]),
        rejected: greedy(table.rejected[p]),
      })),
    },
  );
  let judgeBench: ModelEvaluation["judgeBench"];
  if (set.data === "judgebench") {
    const { items: _items, ...report } = judgeBenchAccuracy(
      set.pairs.map((pair, p) =>
        bothOrderFromScores(score(table.chosen[p]), score(table.rejected[p]), pair.chosenFirst)
      ),
    );
    judgeBench = report;
  }
  const traces = set.pairs.map((pair, p) => {
    const side = (i: number) => ({
      score: scored.greedy[i].score,
      text: scored.greedy[i].text,
      samples: scored.samples[i].map((s) => s.score),
      ...(readout === "expected" ? { expected: counted[i] } : {}),
    });
    return {
      pair: pair.id,
      domain: pair.domain,
      ...(pair.subset === undefined ? {} : { subset: pair.subset }),
      ...(pair.level === undefined ? {} : { level: pair.level, item: pair.item }),
      chosen: side(table.chosen[p]),
      rejected: side(table.rejected[p]),
      ...rows[p].outcome,
    };
  });
  return {
    kind: "pointwise",
    summary: summarizeOutcomes(rows),
    voting,
    judgeBench,
    calls: scored.calls,
    seconds,
    traces,
  };
}
