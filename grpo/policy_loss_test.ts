import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { ppoClipLoss } from "./policy_loss.ts";

await tf.setBackend("cpu");

function assertAllClose(t: tf.Tensor, expected: number[][], tol = 1e-5): void {
  const actual = t.arraySync() as number[][];
  assertEquals(t.shape, [expected.length, expected[0].length]);
  actual.forEach((row, b) =>
    row.forEach((a, i) =>
      assertAlmostEquals(a, expected[b][i], tol, `[${b}, ${i}]: ${a} vs ${expected[b][i]}`)
    )
  );
}

/** logProbs = log(ratio) against oldLogProbs = 0, so the ratio is given directly. */
function fromRatios(ratios: number[][]): [tf.Tensor2D, tf.Tensor2D] {
  return [tf.log(tf.tensor2d(ratios)), tf.zeros([ratios.length, ratios[0].length])];
}

// Rows: A = +1, A = -1, A = +2; ratios chosen to hit every branch.
const RATIOS = [[1.5, 0.5, 1.1], [0.5, 1.5, 4], [4, 1, 0.9]];
const ADV = [1, -1, 2];

Deno.test("ppoClipLoss: hand numbers for both clip sides and the dual clip (defaults 0.2/0.2/3)", () => {
  const [logp, old] = fromRatios(RATIOS);
  const { loss, clipped, dualClipped } = ppoClipLoss({
    logProbs: logp,
    oldLogProbs: old,
    advantages: tf.tensor1d(ADV),
  });
  // L = max(-A r, -A clip(r, 0.8, 1.2)); for A < 0 then min(L, 3 |A|)
  // row 0 (A = +1): r 1.5 -> max(-1.5, -1.2) = -1.2 (clip high active); r 0.5 -> max(-0.5, -0.8)
  //   = -0.5 (no clip: the clip never helps a token it would push further); r 1.1 -> -1.1
  // row 1 (A = -1): r 0.5 -> max(0.5, 0.8) = 0.8 (clip low active); r 1.5 -> max(1.5, 1.2) = 1.5;
  //   r 4 -> max(4, 1.2) = 4, dual clip: min(4, 3) = 3
  // row 2 (A = +2): r 4 -> max(-8, -2.4) = -2.4 (clip high); r 1 -> -2; r 0.9 -> -1.8
  assertAllClose(loss, [[-1.2, -0.5, -1.1], [0.8, 1.5, 3], [-2.4, -2, -1.8]]);
  assertAllClose(clipped, [[1, 0, 0], [1, 0, 0], [1, 0, 0]], 0);
  assertAllClose(dualClipped, [[0, 0, 0], [0, 0, 1], [0, 0, 0]], 0);
});

Deno.test("ppoClipLoss: dualClip null leaves the A < 0, large-ratio loss unbounded", () => {
  const [logp, old] = fromRatios(RATIOS);
  const { loss, dualClipped } = ppoClipLoss({
    logProbs: logp,
    oldLogProbs: old,
    advantages: tf.tensor1d(ADV),
  }, { dualClip: null });
  assertAllClose(loss, [[-1.2, -0.5, -1.1], [0.8, 1.5, 4], [-2.4, -2, -1.8]]);
  assertAllClose(dualClipped, [[0, 0, 0], [0, 0, 0], [0, 0, 0]], 0);
});

Deno.test("ppoClipLoss: asymmetric clip range and another dual-clip constant", () => {
  const [logp, old] = fromRatios([[1.5, 0.5], [0.5, 4.5]]);
  const opts = { clipLow: 0.1, clipHigh: 0.28, dualClip: 2 };
  const { loss } = ppoClipLoss({
    logProbs: logp,
    oldLogProbs: old,
    advantages: tf.tensor1d([1, -0.5]),
  }, opts);
  // A = +1: r 1.5 -> -min(1.5, 1.28) = -1.28; r 0.5 -> max(-0.5, -0.9) = -0.5
  // A = -0.5: r 0.5 -> max(0.25, 0.45) = 0.45; r 4.5 -> max(2.25, 0.64) = 2.25, cap 2 * 0.5 = 1
  assertAllClose(loss, [[-1.28, -0.5], [0.45, 1]]);
});

Deno.test("ppoClipLoss: on-policy (ratio 1) the loss is -A and nothing is clipped", () => {
  const logp = tf.tensor2d([[-0.3, -2.1], [-5, -0.01]]);
  const { loss, clipped, dualClipped } = ppoClipLoss({
    logProbs: logp,
    oldLogProbs: logp,
    advantages: tf.tensor1d([0.7, -1.3]),
  });
  assertAllClose(loss, [[-0.7, -0.7], [1.3, 1.3]]);
  assertEquals(tf.sum(clipped).dataSync()[0] + tf.sum(dualClipped).dataSync()[0], 0);
});

Deno.test("ppoClipLoss: log-ratio is clamped to 20 before exp, so the loss stays finite", () => {
  const logp = tf.tensor2d([[30], [30]]);
  const old = tf.zeros([2, 1]) as tf.Tensor2D;
  const { loss } = ppoClipLoss({
    logProbs: logp,
    oldLogProbs: old,
    advantages: tf.tensor1d([-1, -1]),
  }, { dualClip: null });
  const [a, b] = loss.dataSync();
  assert(Number.isFinite(a) && Number.isFinite(b));
  assertAlmostEquals(a / Math.exp(20), 1, 1e-5);
  const capped = ppoClipLoss({
    logProbs: logp,
    oldLogProbs: old,
    advantages: tf.tensor1d([-1, -1]),
  }).loss.dataSync();
  assertEquals(Array.from(capped), [3, 3]);
});

Deno.test("ppoClipLoss: bad shapes and options are rejected", () => {
  const x = tf.zeros([2, 3]) as tf.Tensor2D;
  const a = tf.zeros([2]) as tf.Tensor1D;
  assertThrows(
    () => ppoClipLoss({ logProbs: x, oldLogProbs: tf.zeros([2, 4]) as tf.Tensor2D, advantages: a }),
    RangeError,
    "[2, 4]",
  );
  assertThrows(
    () => ppoClipLoss({ logProbs: x, oldLogProbs: x, advantages: tf.zeros([3]) as tf.Tensor1D }),
    RangeError,
    "B = 2",
  );
  assertThrows(
    () =>
      ppoClipLoss({
        logProbs: tf.zeros([6]) as unknown as tf.Tensor2D,
        oldLogProbs: x,
        advantages: a,
      }),
    RangeError,
    "[B, T]",
  );
  assertThrows(
    () => ppoClipLoss({ logProbs: x, oldLogProbs: x, advantages: a }, { clipLow: 1 }),
    RangeError,
    "clipLow",
  );
  assertThrows(
    () => ppoClipLoss({ logProbs: x, oldLogProbs: x, advantages: a }, { clipHigh: -0.1 }),
    RangeError,
    "-0.1",
  );
  assertThrows(
    () => ppoClipLoss({ logProbs: x, oldLogProbs: x, advantages: a }, { dualClip: 1 }),
    RangeError,
    "dualClip",
  );
  assertThrows(
    () => ppoClipLoss({ logProbs: x, oldLogProbs: x, advantages: a }, { dualClip: NaN }),
    RangeError,
    "NaN",
  );
});

Deno.test("ppoClipLoss: no tensors leak", () => {
  const [logp, old] = fromRatios(RATIOS);
  const adv = tf.tensor1d(ADV);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) {
    tf.dispose(ppoClipLoss({ logProbs: logp, oldLogProbs: old, advantages: adv }));
  }
  tf.dispose(
    ppoClipLoss({ logProbs: logp, oldLogProbs: old, advantages: adv }, { dualClip: null }),
  );
  assertEquals(tf.memory().numTensors, before);
});
