/**
 * A diverged run: the error every trainer raises, and the per-step check that an optimizer step
 * left the weights finite. A step whose loss or gradient is NaN/Inf is skipped before it touches
 * the weights (`optimize.ts`); but a finite gradient times an absurd learning rate can still
 * overflow float32, and then every later step, evaluation and checkpoint would be NaN. So after
 * each update the weights are checked with one reduction, and training stops at that step.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Training cannot go on: NaN/Inf losses or gradients step after step, or NaN/Inf weights. */
export class TrainingDivergedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrainingDivergedError";
  }
}

/** Where the weights stopped being finite: the first such parameter, in parameter order. */
export interface NonFiniteParam {
  readonly name: string;
  /** Values that are NaN or ±Infinity. */
  readonly count: number;
  /** All values of the parameter. */
  readonly size: number;
}

/**
 * An optimizer step made the weights NaN/Inf. The trainers catch it and rethrow a
 * {@link TrainingDivergedError} that names the step; the weights are left as they are.
 */
export class NonFiniteWeightsError extends TrainingDivergedError {
  /** The first non-finite parameter. */
  readonly param: NonFiniteParam;
  /** Loss and global gradient norm (before clipping) of the step: both were finite. */
  readonly loss: number;
  readonly gradNorm: number;
  /** Learning rate of the step. */
  readonly lr: number;

  constructor(
    detail: { param: NonFiniteParam; loss: number; gradNorm: number; lr: number },
  ) {
    super(
      `weights became non-finite after an optimizer step (${describeNonFiniteParam(detail)})`,
    );
    this.name = "NonFiniteWeightsError";
    this.param = detail.param;
    this.loss = detail.loss;
    this.gradNorm = detail.gradNorm;
    this.lr = detail.lr;
  }
}

/**
 * `params/<name>: <count> of <size> values NaN/Inf after an update with lr ..., loss ...,
 * grad_norm ...`: the detail the trainers put in their messages.
 *
 * @example
 * ```ts
 * import { describeNonFiniteParam } from "./divergence.ts";
 * import { assertEquals } from "@std/assert";
 * const text = describeNonFiniteParam({
 *   param: { name: "tokenEmbedding", count: 3, size: 8 }, loss: 0.5, gradNorm: 2, lr: 1e308,
 * });
 * assertEquals(
 *   text,
 *   "params/tokenEmbedding: 3 of 8 values NaN/Inf after an update with lr 1e+308, loss 0.5, grad_norm 2",
 * );
 * ```
 */
export function describeNonFiniteParam(
  detail: { param: NonFiniteParam; loss: number; gradNorm: number; lr: number },
): string {
  const { param, loss, gradNorm, lr } = detail;
  const round = (x: number) => Number(x.toPrecision(4));
  return `params/${param.name}: ${param.count} of ${param.size} values NaN/Inf after an update ` +
    `with lr ${round(lr)}, loss ${round(loss)}, grad_norm ${round(gradNorm)}`;
}

/**
 * The first parameter (in key order) holding NaN or ±Infinity, or undefined when all are finite.
 *
 * Cost: one fused reduction per parameter, `sum(p * 0)`, which is 0 when every value is finite
 * and NaN as soon as one is NaN or ±Inf (0 * Inf is NaN), summed over all parameters and read
 * back as one number: one host sync per step. Only when that number is NaN are the parameters
 * read back one by one to name and count the bad values.
 *
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { firstNonFiniteParam } from "./divergence.ts";
 * import { assertEquals } from "@std/assert";
 * await tf.setBackend("cpu");
 * const a = tf.tensor1d([1, 3e38]), b = tf.tensor1d([0, Infinity, NaN]);
 * assertEquals(await firstNonFiniteParam({ a }), undefined);
 * assertEquals(await firstNonFiniteParam({ a, b }), { name: "b", count: 2, size: 3 });
 * tf.dispose([a, b]);
 * ```
 */
export async function firstNonFiniteParam(
  params: Readonly<Record<string, tf.Tensor>>,
): Promise<NonFiniteParam | undefined> {
  const entries = Object.entries(params).filter(([, p]) => p.dtype === "float32");
  if (entries.length === 0) return undefined;
  const probe = tf.tidy(() => tf.addN(entries.map(([, p]) => tf.sum(tf.mul(p, 0)))));
  const total = (await probe.data())[0];
  probe.dispose();
  if (total === 0) return undefined;
  for (const [name, p] of entries) {
    let count = 0;
    for (const x of await p.data() as Float32Array) if (x - x !== 0) count++;
    if (count > 0) return { name, count, size: p.size };
  }
  return undefined; // unreachable: the probe saw a NaN
}

/**
 * The message of a run whose weights became NaN/Inf at `step`: who (`what`, e.g. "scalar-bt
 * baseline"), the parameter and the update, the last checkpoint when the trainer keeps them
 * (`null`: none written by this run yet; absent: not mentioned), and what to try instead.
 *
 * @example
 * ```ts
 * import { nonFiniteWeightsMessage } from "./divergence.ts";
 * import { assertEquals, assertStringIncludes } from "@std/assert";
 * const detail = {
 *   param: { name: "tokenEmbedding", count: 8, size: 8 }, loss: 1, gradNorm: 2, lr: 1e308,
 * };
 * const text = nonFiniteWeightsMessage(detail, { step: 3, lastCheckpoint: 2 });
 * assertStringIncludes(text, "weights became non-finite at step 3 (params/tokenEmbedding: 8 of 8");
 * assertStringIncludes(text, "the last checkpoint (step 2) holds finite weights");
 * assertEquals(
 *   nonFiniteWeightsMessage(detail, { step: 1, what: "scalar-bt baseline" }).split(":")[0],
 *   "scalar-bt baseline stopped",
 * );
 * ```
 */
export function nonFiniteWeightsMessage(
  detail: { param: NonFiniteParam; loss: number; gradNorm: number; lr: number },
  where: { step: number; lastCheckpoint?: number | null; what?: string },
): string {
  const checkpoint = where.lastCheckpoint === undefined
    ? ""
    : where.lastCheckpoint === null
    ? "; no checkpoint of this run was written before it"
    : `; the last checkpoint (step ${where.lastCheckpoint}) holds finite weights`;
  return `${where.what ?? "training"} stopped: weights became non-finite at step ${where.step} (${
    describeNonFiniteParam(detail)
  })${checkpoint}; try a lower --lr or --grad-clip`;
}

/**
 * Runs one step of a trainer, turning a {@link NonFiniteWeightsError} into a
 * {@link TrainingDivergedError} that names the step (see {@link nonFiniteWeightsMessage}).
 */
export async function stepOrDiverge<T>(
  run: () => Promise<T>,
  where: { step: number; lastCheckpoint?: number | null; what?: string },
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof NonFiniteWeightsError)) throw error;
    throw new TrainingDivergedError(nonFiniteWeightsMessage(error, where));
  }
}
