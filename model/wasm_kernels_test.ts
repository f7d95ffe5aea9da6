import * as tf from "@tensorflow/tfjs-core";
import { assertEquals } from "@std/assert";
import { initBackend } from "./backend.ts";
import { createPrng } from "../rng/prng.ts";

/** Slices and splits of every rank up to 5, with cut and whole axes, as plain arrays. */
async function cases(): Promise<number[][]> {
  const rng = createPrng(11);
  const out: number[][] = [];
  const shapes = [[7], [5, 6], [3, 4, 5], [2, 3, 4, 5], [2, 3, 2, 3, 4]];
  for (const shape of shapes) {
    const size = shape.reduce((a, d) => a * d, 1);
    const values = Array.from({ length: size }, () => rng.int(1000) - 500);
    for (const dtype of ["float32", "int32", "bool"] as const) {
      const x = tf.tensor(dtype === "bool" ? values.map((v) => v > 0) : values, shape, dtype);
      for (let trial = 0; trial < 6; trial++) {
        const begin = shape.map((d) => rng.int(d));
        // -1 (to the end) now and then; otherwise a random length that fits
        const sizes = shape.map((d, i) =>
          trial % 3 === 0 && i > 0 ? -1 : 1 + rng.int(d - begin[i])
        );
        const piece = tf.slice(x, begin, sizes);
        out.push([...piece.shape, ...await piece.data()]);
        piece.dispose();
      }
      for (let axis = 0; axis < shape.length; axis++) {
        const parts = shape[axis] >= 2 ? [1, shape[axis] - 1] : [shape[axis]];
        for (const part of tf.split(x, parts, axis)) {
          out.push([...part.shape, ...await part.data()]);
          part.dispose();
        }
      }
      x.dispose();
    }
  }
  return out;
}

Deno.test("copy-free wasm Slice/SplitV: the same values as tfjs-backend-cpu, bit for bit", async () => {
  await initBackend("cpu");
  const cpu = await cases();
  await initBackend("wasm");
  const before = tf.memory().numTensors;
  const wasm = await cases();
  assertEquals(tf.memory().numTensors, before);
  assertEquals(wasm.length, cpu.length);
  wasm.forEach((values, i) => assertEquals(values, cpu[i], `case ${i}`));
});
