/**
 * The GRPO loss and its gradient agree on the cpu and wasm backends. This caught a real difference:
 * tfjs-backend-wasm 4.22 casts float to bool by truncating to a byte (5 stays 5, 0.5 becomes 0),
 * which once made the token-mean gradient 5x too large there.
 *
 * Needs the gradient functions, registered by `model/gradients.ts`.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import "../model/gradients.ts";
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { type AggregationName, grpoLoss, type KlEstimatorName } from "./grpo_loss.ts";

/** Loss and d loss / d logProbs on the current backend, as plain numbers. */
async function lossAndGrad(
  aggregation: AggregationName,
  klEstimator: KlEstimatorName,
  maskRows: number[][],
): Promise<number[]> {
  const logp = tf.tensor2d([[-1.2, -2.5, -0.3, -4], [-0.7, -3.1, -1.9, -0.1], [-2, -1, -0.5, -3]]);
  const old = tf.tensor2d([[-1.0, -2.0, -0.9, -4], [-0.5, -3.0, -0.2, -0.2], [-2.5, -1, -0.1, -9]]);
  const ref = tf.tensor2d([[-1.1, -2.9, -0.4, -3], [-0.9, -2.0, -1.5, -0.3], [-1.5, -1.2, -1, -2]]);
  const mask = tf.tensor2d(maskRows);
  const advantages = tf.tensor1d([1.5, -1, -0.3]);
  const f = (x: tf.Tensor) =>
    grpoLoss({ logProbs: x as tf.Tensor2D, oldLogProbs: old, refLogProbs: ref, advantages, mask }, {
      aggregation,
      klEstimator,
      klCoef: 0.1,
    }).loss;
  const { value, grad } = tf.valueAndGrad(f)(logp);
  const out = [...await value.data(), ...await grad.data()];
  tf.dispose([logp, old, ref, mask, advantages, value, grad]);
  return out;
}

Deno.test("grpoLoss value and gradient: cpu and wasm agree for every aggregation and estimator", async () => {
  const masks = [
    [[1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0]],
    [[0.5, 1, 0, 0], [1, 0.25, 1, 0], [0, 0, 0, 0]], // token weights and an empty row
  ];
  const cases: [AggregationName, KlEstimatorName][] = [];
  for (const agg of ["token-mean", "seq-mean-token-mean", "seq-mean-token-sum-norm"] as const) {
    for (const kl of ["k1", "k2", "k3"] as const) cases.push([agg, kl]);
  }
  const results: Record<string, number[][]> = { cpu: [], wasm: [] };
  try {
    for (const backend of ["cpu", "wasm"]) {
      await tf.setBackend(backend);
      for (const mask of masks) {
        for (const [agg, kl] of cases) results[backend].push(await lossAndGrad(agg, kl, mask));
      }
    }
  } finally {
    await tf.setBackend("cpu");
  }
  assertEquals(results.cpu.length, 18);
  results.cpu.forEach((expected, k) =>
    expected.forEach((x, i) =>
      assertAlmostEquals(results.wasm[k][i], x, 1e-5, `case ${k} value ${i}`)
    )
  );
});
