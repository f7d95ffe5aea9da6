/**
 * Evaluating the scalar Bradley-Terry baseline on pairs: one forward pass per distinct response,
 * the pair decided by comparing the two rewards (a tie needs bit-equal floats, so ties are rare;
 * nothing is ever unparseable). The judge is deterministic, so there is no voting@k table.
 *
 * @module
 */
import { judgeBenchAccuracy } from "../eval/judgebench.ts";
import { pairOutcome } from "../eval/pair_decision.ts";
import type { ModelConfig } from "../model/config.ts";
import type { Params } from "../model/params.ts";
import { scoreWithScalar } from "../baselines/scalar_head.ts";
import { bothOrderFromScores, summarizeOutcomes } from "./aggregate.ts";
import type { EvalSet } from "./eval_set.ts";
import type { EvaluateOptions, ModelEvaluation } from "./evaluation.ts";
import { uniqueResponses } from "./responses.ts";

/** Evaluates a scalar reward model; trace per pair: both rewards and the outcome. */
export async function evaluateScalar(
  model: { params: Params; config: ModelConfig },
  set: EvalSet,
  options: EvaluateOptions = {},
): Promise<ModelEvaluation> {
  const started = performance.now();
  const table = uniqueResponses(set.pairs);
  const rewards = await scoreWithScalar(model, table.items, {
    chunk: options.chunk,
    onProgress: (done, total) => options.onProgress?.(done, total, "scalar forward passes"),
  });
  const seconds = (performance.now() - started) / 1000;
  const rows = set.pairs.map((pair, p) => ({
    id: pair.id,
    domain: pair.domain,
    subset: pair.subset,
    level: pair.level,
    outcome: pairOutcome(rewards[table.chosen[p]], rewards[table.rejected[p]]),
  }));
  let judgeBench: ModelEvaluation["judgeBench"];
  if (set.data === "judgebench") {
    const { items: _items, ...report } = judgeBenchAccuracy(
      set.pairs.map((pair, p) =>
        bothOrderFromScores(rewards[table.chosen[p]], rewards[table.rejected[p]], pair.chosenFirst)
      ),
    );
    judgeBench = report;
  }
  return {
    kind: "scalar",
    summary: summarizeOutcomes(rows),
    voting: null,
    judgeBench,
    calls: table.items.length,
    seconds,
    traces: set.pairs.map((pair, p) => ({
      pair: pair.id,
      domain: pair.domain,
      ...(pair.subset === undefined ? {} : { subset: pair.subset }),
      ...(pair.level === undefined ? {} : { level: pair.level, item: pair.item }),
      chosen: { reward: rewards[table.chosen[p]] },
      rejected: { reward: rewards[table.rejected[p]] },
      ...rows[p].outcome,
    })),
  };
}
