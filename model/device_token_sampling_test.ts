import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals, assertLess, assertThrows } from "@std/assert";
import { createPrng } from "../rng/prng.ts";
import { testOnBackends } from "./_testing.ts";
import { sampleTokensOnDevice } from "./device_token_sampling.ts";
import { logProbOf, sampleToken, samplingProbs, type TokenChoice } from "./token_sampling.ts";

const ROWS = 400;
const VOCAB = 104;

/** Random logits with a spread like the GRM's (a few likely tokens, a long tail). */
function randomLogits(seed: number): Float32Array {
  const rng = createPrng(seed);
  return Float32Array.from({ length: ROWS * VOCAB }, () => 3 * rng.normal());
}

/** Distance of u from the nearest boundary of the host's (float64) cumulative distribution. */
function boundaryDistance(logits: Float32Array, row: number, u: number, choice: TokenChoice) {
  const probs = samplingProbs(logits, { ...choice, offset: row * VOCAB, size: VOCAB });
  let cumulative = 0, nearest = Infinity;
  for (const p of probs) {
    cumulative += p;
    nearest = Math.min(nearest, Math.abs(u - cumulative));
  }
  return nearest;
}

/** A PRNG that returns the given draw (sampleToken takes exactly one per call). */
const fixed = (u: number) => ({ ...createPrng(0), next: () => u });

for (
  const choice of [
    {},
    { temperature: 0.7 },
    { temperature: 1.3, topP: 0.9 },
    { topP: 0.5 },
  ] as TokenChoice[]
) {
  testOnBackends(
    `sampleTokensOnDevice picks sampleToken's token ${JSON.stringify(choice)}`,
    async () => {
      const logits = randomLogits(1);
      const rng = createPrng(2);
      // float32, as uploaded: the host sees exactly the device's uniforms
      const u = Float32Array.from({ length: ROWS }, () => rng.next());
      const before = tf.memory().numTensors;
      const logitsT = tf.tensor2d(logits, [ROWS, VOCAB]);
      const uT = tf.tensor1d(u);
      const out = sampleTokensOnDevice(logitsT, uT, choice);
      const [ids, logProbs] = [await out.ids.data(), await out.logProbs.data()];
      tf.dispose([logitsT, uT, out.ids, out.logProbs]);
      assertEquals(tf.memory().numTensors, before, "tensors left behind");
      let compared = 0;
      for (let row = 0; row < ROWS; row++) {
        const where = { offset: row * VOCAB, size: VOCAB };
        // the host sums in float64, the device in float32: a draw this close to a boundary may go
        // either way
        if (boundaryDistance(logits, row, u[row], choice) < 1e-5) continue;
        compared++;
        assertEquals(
          ids[row],
          sampleToken(logits, fixed(u[row]), { ...choice, ...where }),
          `row ${row}`,
        );
        assertLess(Math.abs(logProbs[row] - logProbOf(logits, ids[row], where)), 1e-5);
      }
      assert(compared >= ROWS - 4, `only ${compared} of ${ROWS} rows away from a boundary`);
    },
  );
}

testOnBackends("sampleTokensOnDevice: greedy is the argmax and needs no uniforms", async () => {
  const logits = randomLogits(3);
  const logitsT = tf.tensor2d(logits, [ROWS, VOCAB]);
  const out = sampleTokensOnDevice(logitsT, null, { greedy: true });
  const zero = sampleTokensOnDevice(logitsT, null, { temperature: 0 });
  const ids = await out.ids.data();
  assertEquals(Array.from(await zero.ids.data()), Array.from(ids));
  for (let row = 0; row < ROWS; row++) {
    const where = { offset: row * VOCAB, size: VOCAB };
    assertEquals(ids[row], sampleToken(logits, createPrng(0), { greedy: true, ...where }));
  }
  tf.dispose([logitsT, out.ids, out.logProbs, zero.ids, zero.logProbs]);
});

testOnBackends(
  "sampleTokensOnDevice: a draw that rounds to 1 picks the last token with mass",
  async () => {
    // 0.99999999 (float64) is 1 in float32, past the whole mass: the last token with mass, which is
    // token 1 (token 2 has none), as sampleToken
    const logitsT = tf.tensor2d([[0, 0, -1e9], [1, 0, -1e9]]);
    const out = sampleTokensOnDevice(logitsT, tf.tensor1d([0.99999999, 0.99999999]));
    assertEquals(Array.from(await out.ids.data()), [1, 1]);
    // top-p 0.5 keeps one token of a tie (the lower index) and of [0.73, 0.27]
    const topP = sampleTokensOnDevice(logitsT, tf.tensor1d([0.99999999, 0.5]), { topP: 0.5 });
    assertEquals(Array.from(await topP.ids.data()), [0, 0]);
    tf.dispose([logitsT, out.ids, out.logProbs, topP.ids, topP.logProbs]);
  },
);

Deno.test("sampleTokensOnDevice: bad input names what is wrong", () => {
  const logitsT = tf.tensor2d([[0, 1]]);
  assertThrows(
    () => sampleTokensOnDevice(logitsT, null),
    TypeError,
    "needs uniforms unless greedy",
  );
  assertThrows(
    () => sampleTokensOnDevice(logitsT, tf.tensor1d([0.1, 0.2])),
    RangeError,
    "2 uniforms for 1 rows",
  );
  assertThrows(
    () => sampleTokensOnDevice(logitsT, tf.tensor1d([0.1]), { topP: 0 }),
    RangeError,
    "topP",
  );
});
