/**
 * One optimizer step shared by the warm-start and the IRPM trainer: gradients of a scalar loss,
 * global-norm clipping, a skip on NaN/Inf, then AdamW, then a check that the weights are still
 * finite (`divergence.ts`: one reduction over all parameters per step).
 *
 * Ownership: the loss function runs inside `tf.variableGrads`, which frees every intermediate; the
 * metric scalars it wants to keep go through the `keep` callback, are read back here and disposed.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { adamwDispose, type AdamWState, adamwUpdate } from "../grpo/adamw.ts";
import { clipByGlobalNorm, globalNorm } from "../grpo/clip_grad.ts";
import type { TrainableParams } from "../model/params.ts";
import { firstNonFiniteParam, NonFiniteWeightsError } from "./divergence.ts";

/** Settings of {@link optimizerStep}. */
export interface OptimizerStepOptions {
  readonly lr: number;
  readonly weightDecay: number;
  /** Global grad-norm clip (0 disables). */
  readonly gradClip: number;
}

/** Result of {@link optimizerStep}. */
export interface OptimizerStepResult {
  /** The new optimizer state (the old one is consumed unless the step was skipped). */
  readonly state: AdamWState;
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  /** True when the loss or gradient was NaN/Inf: parameters and state are unchanged. */
  readonly skipped: boolean;
  /** Metric scalars the loss function kept, read back. */
  readonly metrics: Record<string, number>;
}

/** The loss function: returns the scalar loss and may keep named metric scalars. */
export type LossFunction = (keep: (name: string, value: tf.Scalar) => void) => tf.Scalar;

/**
 * Computes gradients of `lossFn` w.r.t. all trainable params, clips, and applies AdamW, unless
 * the loss or the gradient norm is not finite, in which case nothing changes (`skipped`).
 *
 * If the update itself makes a weight NaN/Inf (finite gradients, absurd learning rate), throws a
 * {@link NonFiniteWeightsError} naming the first such parameter: the weights keep the bad values,
 * and the optimizer state passed in is consumed and the new one freed, so training cannot go on.
 */
export async function optimizerStep(
  model: { readonly params: TrainableParams },
  options: OptimizerStepOptions & { readonly state: AdamWState; readonly lossFn: LossFunction },
): Promise<OptimizerStepResult> {
  const { state, lossFn } = options;
  if (Object.keys(model.params).length === 0) {
    throw new RangeError("optimizerStep: the model has no parameters");
  }
  const kept: Record<string, tf.Scalar> = {};
  const keep = (name: string, value: tf.Scalar) => {
    kept[name] = tf.keep(value);
  };
  let computed;
  try {
    computed = tf.variableGrads(() => lossFn(keep), Object.values(model.params));
  } catch (error) {
    tf.dispose(Object.values(kept)); // metrics kept before the loss function threw
    throw error;
  }
  const { value, grads } = computed;
  const byName: Record<string, tf.Tensor> = {};
  const variableNames = new Map(Object.entries(model.params).map(([k, v]) => [v.name, k]));
  for (const [variableName, grad] of Object.entries(grads)) {
    byName[variableNames.get(variableName) ?? variableName] = grad;
  }
  const loss = (await value.data())[0];
  value.dispose();
  const metrics: Record<string, number> = {};
  for (const [name, scalar] of Object.entries(kept)) {
    metrics[name] = (await scalar.data())[0];
    scalar.dispose();
  }
  let gradNorm: number;
  let toApply: Record<string, tf.Tensor>;
  if (options.gradClip > 0) {
    const clipped = await clipByGlobalNorm(byName, options.gradClip);
    tf.dispose(Object.values(byName));
    gradNorm = clipped.norm;
    toApply = clipped.grads;
  } else {
    const normTensor = globalNorm(Object.values(byName));
    gradNorm = (await normTensor.data())[0];
    normTensor.dispose();
    toApply = byName;
  }
  if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
    tf.dispose(Object.values(toApply));
    return { state, loss, gradNorm, skipped: true, metrics };
  }
  const next = adamwUpdate(model.params, {
    grads: toApply,
    state,
    lr: options.lr,
    weightDecay: options.weightDecay,
  });
  tf.dispose(Object.values(toApply));
  const param = await firstNonFiniteParam(model.params);
  if (param) {
    adamwDispose(next);
    throw new NonFiniteWeightsError({ param, loss, gradNorm, lr: options.lr });
  }
  return { state: next, loss, gradNorm, skipped: false, metrics };
}
