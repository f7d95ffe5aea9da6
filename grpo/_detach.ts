/**
 * Gradient stops for tfjs, which has no `stopGradient` (private to `grpo/`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * Runs `f(x)` as one tape node whose gradient to `x` is zero. Ops inside `f` are not recorded, so
 * `f` may use ops that have no gradient in tfjs (comparisons such as `notEqual`): backprop fails
 * on any such op that lies between the parameters and the loss, even where its gradient would be 0.
 */
function detached<T extends tf.Tensor>(x: tf.Tensor, f: (input: tf.Tensor) => T): T {
  // customGrad calls (input, save); only the input is used
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    return { value: f(input), gradFunc: () => tf.zerosLike(input) };
  });
  return op(x) as T;
}

/**
 * Identity in the forward pass, zero gradient in the backward pass (torch's `.detach()` inside a
 * graph). Lets a caller pass a tensor computed from the trained parameters, e.g. `logProbs` itself
 * as `oldLogProbs` when on-policy, without that path contributing a gradient.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return detached(x, (input) => tf.clone(input) as T);
}

/**
 * `x != 0` as a bool tensor, safe on a gradient path. (Not `tf.cast(x, "bool")`: tfjs-backend-wasm
 * 4.22 casts float to bool by truncating to a byte, so 0.5 becomes false and 5 stays 5, which also
 * scales the gradient of `tf.where` by 5.)
 */
export function nonZero(x: tf.Tensor): tf.Tensor {
  return detached(x, (input) => tf.notEqual(input, 0));
}
