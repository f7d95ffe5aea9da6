/**
 * Evaluating one judge of any kind: the kind's evaluator (chosen by name from
 * {@link EVALUATORS}) on the pairs, plus score calibration on the synthetic suite for judges that
 * score responses alone ({@link RESPONSE_SCORERS}).
 *
 * @module
 */
import type { JudgeModel, ModelKind } from "../baselines/judge_checkpoint.ts";
import { scoreWithScalar } from "../baselines/scalar_head.ts";
import { calibration, type CalibrationOptions, type CalibrationResult } from "./calibration.ts";
import type { ResponseScorer } from "./calibration.ts";
import type { EvalSet } from "./eval_set.ts";
import type { EvaluateOptions, ModelEvaluation } from "./evaluation.ts";
import { evaluatePairwise } from "./pairwise_eval.ts";
import { evaluatePointwise, POINTWISE_MAX_NEW_TOKENS } from "./pointwise_eval.ts";
import { pointwiseScores, readoutScores } from "./pointwise_scores.ts";
import { evaluateScalar } from "./scalar_eval.ts";

/** The evaluator of each kind of judge. */
export const EVALUATORS: Readonly<
  Record<ModelKind, (m: JudgeModel, set: EvalSet, o: EvaluateOptions) => Promise<ModelEvaluation>>
> = Object.freeze({
  pointwise: evaluatePointwise,
  pairwise: evaluatePairwise,
  scalar: evaluateScalar,
});

/**
 * How each kind scores a response alone (greedy GRM score, or the scalar reward). The pairwise
 * judge has no pointwise score, so it is absent.
 */
export const RESPONSE_SCORERS: Readonly<
  Partial<Record<ModelKind, (m: JudgeModel, o: EvaluateOptions) => ResponseScorer>>
> = Object.freeze({
  pointwise: (m: JudgeModel, o: EvaluateOptions): ResponseScorer => async (items) => {
    const maxNewTokens = o.maxNewTokens ?? POINTWISE_MAX_NEW_TOKENS;
    const out = await pointwiseScores(m, items, { samples: 0, maxNewTokens, chunk: o.chunk });
    return {
      scores: await readoutScores(m, { items, greedy: out.greedy }, {
        readout: o.readout ?? "greedy",
        maxNewTokens,
      }),
      texts: out.greedy.map((s) => s.text),
      calls: out.calls,
    };
  },
  scalar: (m: JudgeModel, o: EvaluateOptions): ResponseScorer => async (items) => ({
    scores: await scoreWithScalar(m, items, { chunk: o.chunk }),
    calls: items.length,
  }),
});

/** A judge's full report. */
export interface JudgeReport {
  /** Display name (e.g. the checkpoint directory). */
  readonly name: string;
  readonly kind: ModelKind;
  /** Accuracy, voting, JudgeBench figures, traces. */
  readonly evaluation: ModelEvaluation;
  /** Synthetic calibration, or null (not asked for, or a pairwise judge). */
  readonly calibration: CalibrationResult | null;
}

/** Evaluates a judge on `set` and, when `calibration` options are given, calibrates it. */
export async function evaluateJudge(
  model: JudgeModel & { name: string },
  set: EvalSet,
  options: EvaluateOptions & { calibration?: CalibrationOptions | null } = {},
): Promise<JudgeReport> {
  const evaluation = await EVALUATORS[model.kind](model, set, options);
  const scorer = RESPONSE_SCORERS[model.kind];
  const calibrated = options.calibration && scorer
    ? await calibration(scorer(model, options), options.calibration)
    : null;
  return { name: model.name, kind: model.kind, evaluation, calibration: calibrated };
}
