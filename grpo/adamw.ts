/**
 * AdamW as an `init`/`update` pair in the optax/jax-js style, with the arithmetic of
 * `torch.optim.AdamW` (decoupled weight decay, bias correction).
 *
 * Who frees what:
 * - {@link adamwInit} creates m and v (zeros); the state owns them.
 * - {@link adamwUpdate} consumes the state passed in: it disposes that state's m and v and returns
 *   a new state that owns fresh ones. Never reuse a state after passing it to `adamwUpdate`.
 * - `adamwUpdate` assigns into the parameter `tf.Variable`s and never disposes `grads` or `params`.
 * - {@link adamwDispose} frees a state that is no longer needed (end of training).
 * - {@link adamwStateTensors} and {@link adamwStateFromTensors} return new tensors the caller owns;
 *   their inputs stay untouched.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Optimizer state: first and second moments per parameter name, and the number of steps taken. */
export interface AdamWState {
  /** Optimizer steps taken so far (bias correction uses step + 1 on the next update). */
  readonly step: number;
  /** First moment (EMA of gradients), one tensor per parameter. */
  readonly m: Readonly<Record<string, tf.Tensor>>;
  /** Second moment (EMA of squared gradients), one tensor per parameter. */
  readonly v: Readonly<Record<string, tf.Tensor>>;
}

/** Options of {@link adamwUpdate}; all but `lr` default to {@link adamwDefaults}. */
export interface AdamWOptions {
  /** Learning rate of this step (from a schedule such as `warmupCosineLr`). */
  readonly lr: number;
  /** EMA rate of the first moment. */
  readonly beta1?: number;
  /** EMA rate of the second moment. */
  readonly beta2?: number;
  /** Added to sqrt(v_hat) in the denominator. */
  readonly eps?: number;
  /** Decoupled weight decay coefficient (applied as p -= lr * weightDecay * p). */
  readonly weightDecay?: number;
}

/** torch.optim.AdamW's defaults except weightDecay, which is IRPM's 0.01 (also torch's default). */
export const adamwDefaults: Readonly<Required<Omit<AdamWOptions, "lr">>> = Object.freeze({
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0.01,
});

const M_PREFIX = "adamw.m.";
const V_PREFIX = "adamw.v.";
const STEP_KEY = "adamw.step";

/**
 * Fresh state: m = v = 0 for every parameter, step 0.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { adamwInit } from "./adamw.ts";
 * import { assertEquals } from "@std/assert";
 * const state = adamwInit({ w: tf.variable(tf.tensor1d([1, 2])) });
 * assertEquals([state.step, state.m.w.shape], [0, [2]]);
 * ```
 */
export function adamwInit(params: Readonly<Record<string, tf.Tensor>>): AdamWState {
  const m: Record<string, tf.Tensor> = {};
  const v: Record<string, tf.Tensor> = {};
  for (const [name, p] of Object.entries(params)) {
    m[name] = tf.zerosLike(p);
    v[name] = tf.zerosLike(p);
  }
  return { step: 0, m, v };
}

function resolve(options: AdamWOptions): Required<AdamWOptions> {
  const o = {
    lr: options.lr,
    beta1: options.beta1 ?? adamwDefaults.beta1,
    beta2: options.beta2 ?? adamwDefaults.beta2,
    eps: options.eps ?? adamwDefaults.eps,
    weightDecay: options.weightDecay ?? adamwDefaults.weightDecay,
  };
  if (!(o.lr >= 0 && Number.isFinite(o.lr))) {
    throw new RangeError(`adamwUpdate: lr must be a finite number >= 0, got ${o.lr}`);
  }
  for (const key of ["beta1", "beta2"] as const) {
    if (!(o[key] >= 0 && o[key] < 1)) {
      throw new RangeError(`adamwUpdate: ${key} must be in [0, 1), got ${o[key]}`);
    }
  }
  if (!(o.eps > 0 && Number.isFinite(o.eps))) {
    throw new RangeError(`adamwUpdate: eps must be a finite number > 0, got ${o.eps}`);
  }
  if (!(o.weightDecay >= 0 && Number.isFinite(o.weightDecay))) {
    throw new RangeError(
      `adamwUpdate: weightDecay must be a finite number >= 0, got ${o.weightDecay}`,
    );
  }
  return o;
}

/**
 * One AdamW step, exactly as torch.optim.AdamW (t = state.step + 1):
 *
 *   p <- p * (1 - lr * wd)                                  (decoupled weight decay)
 *   m <- beta1 * m + (1 - beta1) * g
 *   v <- beta2 * v + (1 - beta2) * g^2
 *   p <- p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 *
 * Parameters without a gradient in `grads` are skipped, weight decay included (torch skips a
 * parameter whose `.grad` is None); their m and v carry over. One step counter serves all
 * parameters, so a parameter skipped earlier gets the batch's bias correction, not its own (torch
 * counts per parameter). A gradient for an unknown name is an error. The state passed in is
 * consumed (its m and v are disposed); use the returned one.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { adamwInit, adamwUpdate } from "./adamw.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * const w = tf.variable(tf.tensor1d([1]));
 * const grads = { w: tf.tensor1d([0.3]) };
 * const state = adamwUpdate({ w }, { grads, state: adamwInit({ w }), lr: 0.1 });
 * // step 1: m_hat = g, v_hat = g^2, so p = 1 * (1 - 0.001) - 0.1 * 0.3 / (0.3 + 1e-8) ~ 0.899
 * assertAlmostEquals(w.dataSync()[0], 0.999 - 0.1 * 0.3 / (0.3 + 1e-8), 1e-6);
 * assertAlmostEquals(state.step, 1);
 * ```
 */
export function adamwUpdate(
  params: Readonly<Record<string, tf.Variable>>,
  options: AdamWOptions & {
    readonly grads: Readonly<Record<string, tf.Tensor>>;
    readonly state: AdamWState;
  },
): AdamWState {
  const { grads, state } = options;
  const o = resolve(options);
  for (const [name, g] of Object.entries(grads)) {
    const p = params[name];
    if (!(p instanceof tf.Variable)) {
      throw new TypeError(
        `adamwUpdate: grads has "${name}" but params has no tf.Variable of that name`,
      );
    }
    if (!state.m[name] || !state.v[name]) {
      throw new RangeError(
        `adamwUpdate: state has no moments for "${name}" (init with these params)`,
      );
    }
    if (g.shape.join() !== p.shape.join()) {
      throw new RangeError(
        `adamwUpdate: grad "${name}" shape [${g.shape}] must equal the parameter's [${p.shape}]`,
      );
    }
  }
  const t = state.step + 1;
  const biasCorrection1 = 1 - o.beta1 ** t;
  const biasCorrection2Sqrt = Math.sqrt(1 - o.beta2 ** t);
  const m: Record<string, tf.Tensor> = { ...state.m };
  const v: Record<string, tf.Tensor> = { ...state.v };
  for (const [name, g] of Object.entries(grads)) {
    const p = params[name];
    [m[name], v[name]] = tf.tidy(() => {
      const mNew = tf.add(tf.mul(state.m[name], o.beta1), tf.mul(g, 1 - o.beta1));
      const vNew = tf.add(tf.mul(state.v[name], o.beta2), tf.mul(tf.square(g), 1 - o.beta2));
      const denom = tf.add(tf.div(tf.sqrt(vNew), biasCorrection2Sqrt), o.eps);
      const decayed = tf.mul(p, 1 - o.lr * o.weightDecay);
      p.assign(tf.sub(decayed, tf.mul(tf.div(mNew, denom), o.lr / biasCorrection1)));
      return [mNew, vNew];
    });
    state.m[name].dispose();
    state.v[name].dispose();
  }
  return { step: t, m, v };
}

/**
 * Frees the moments of a state that is no longer needed.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { adamwDispose, adamwInit } from "./adamw.ts";
 * import { assertEquals } from "@std/assert";
 * const before = tf.memory().numTensors;
 * adamwDispose(adamwInit({ w: tf.zeros([3]) }));
 * assertEquals(tf.memory().numTensors, before + 1); // only the parameter itself remains
 * ```
 */
export function adamwDispose(state: AdamWState): void {
  tf.dispose([...Object.values(state.m), ...Object.values(state.v)]);
}

/**
 * The state as named tensors for a checkpoint: `adamw.m.<param>`, `adamw.v.<param>` and
 * `adamw.step` (an int32 scalar). All are new tensors the caller disposes after writing them.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { adamwInit, adamwStateTensors } from "./adamw.ts";
 * import { assertEquals } from "@std/assert";
 * const named = adamwStateTensors(adamwInit({ w: tf.zeros([2]) }));
 * assertEquals(Object.keys(named).sort(), ["adamw.m.w", "adamw.step", "adamw.v.w"]);
 * ```
 */
export function adamwStateTensors(state: AdamWState): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = { [STEP_KEY]: tf.scalar(state.step, "int32") };
  for (const [name, t] of Object.entries(state.m)) out[M_PREFIX + name] = tf.clone(t);
  for (const [name, t] of Object.entries(state.v)) out[V_PREFIX + name] = tf.clone(t);
  return out;
}

/**
 * Rebuilds a state from {@link adamwStateTensors} output (e.g. read back from a checkpoint). Keys
 * other than `adamw.*` are ignored, so a checkpoint's full tensor map can be passed. The step is
 * read with `await data()` (portable to webgpu). The inputs stay owned by the caller.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { adamwStateFromTensors, adamwStateTensors } from "./adamw.ts";
 * import { assertEquals } from "@std/assert";
 * const saved = adamwStateTensors({ step: 7, m: { w: tf.ones([2]) }, v: { w: tf.ones([2]) } });
 * const state = await adamwStateFromTensors(saved);
 * assertEquals([state.step, Array.from(state.m.w.dataSync())], [7, [1, 1]]);
 * ```
 */
export async function adamwStateFromTensors(
  tensors: Readonly<Record<string, tf.Tensor>>,
): Promise<AdamWState> {
  const stepTensor = tensors[STEP_KEY];
  if (!stepTensor || stepTensor.size !== 1) {
    throw new RangeError(`adamwStateFromTensors: missing or non-scalar "${STEP_KEY}"`);
  }
  const step = (await stepTensor.data())[0];
  if (!Number.isInteger(step) || step < 0) {
    throw new RangeError(
      `adamwStateFromTensors: "${STEP_KEY}" must be an integer >= 0, got ${step}`,
    );
  }
  const names = (prefix: string) =>
    Object.keys(tensors).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  const mNames = names(M_PREFIX).sort(), vNames = names(V_PREFIX).sort();
  if (mNames.join("\u0000") !== vNames.join("\u0000")) {
    throw new RangeError(
      `adamwStateFromTensors: m and v name different parameters: m [${mNames}] vs v [${vNames}]`,
    );
  }
  const m: Record<string, tf.Tensor> = {};
  const v: Record<string, tf.Tensor> = {};
  for (const name of mNames) {
    const mt = tensors[M_PREFIX + name], vt = tensors[V_PREFIX + name];
    if (mt.shape.join() !== vt.shape.join()) {
      throw new RangeError(
        `adamwStateFromTensors: "${name}" has m shape [${mt.shape}] but v shape [${vt.shape}]`,
      );
    }
    m[name] = tf.clone(mt);
    v[name] = tf.clone(vt);
  }
  return { step, m, v };
}
