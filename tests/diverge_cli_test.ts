/**
 * End-to-end tests of diverged weights: `deno task train` with an absurd learning rate stops with
 * a named error at the step the weights became NaN/Inf and writes no checkpoint of them, and
 * `deno task eval` refuses a checkpoint that holds NaN weights.
 */
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { prefixTensors, saveCheckpoint } from "../checkpoint/checkpoint.ts";
import { presetConfig } from "../model/config.ts";
import { disposeParams, initParams } from "../model/params.ts";
import { createPrng } from "../rng/prng.ts";
import { runCli, TINY_TRAIN } from "./_cli.ts";

await tf.setBackend("cpu");

const TINY = [...TINY_TRAIN, "--warmup-steps", "0"];

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

Deno.test("train --lr 1e308: stops at step 1 naming the parameter, exit 1, no checkpoint", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = await runCli("cli/train.ts", [
      ...TINY,
      "--lr",
      "1e308",
      "--steps",
      "3",
      "--checkpoint-every",
      "1",
      "--run-dir",
      dir,
      "--name",
      "r",
    ]);
    assertEquals(out.code, 1, out.stderr);
    assertStringIncludes(out.stderr, "weights became non-finite at step 1 (params/");
    assertStringIncludes(out.stderr, "values NaN/Inf after an update with lr 1e+308");
    assertStringIncludes(out.stderr, "no checkpoint of this run was written before it");
    assert(!out.stdout.includes("train: done"), out.stdout);
    assert(!/^\s+at /m.test(out.stderr), `a stack trace:\n${out.stderr}`);
    assert(!(await exists(`${dir}/r/checkpoint/model.safetensors`)), "NaN weights were saved");
    const lines = (await Deno.readTextFile(`${dir}/r/metrics.jsonl`)).trim().split("\n")
      .map((l) => JSON.parse(l));
    assertEquals(lines.filter((l) => l.kind === "train").length, 0); // step 1 never completed
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("eval: a checkpoint with NaN weights exits 2 naming the directory and the tensor", async () => {
  const dir = await Deno.makeTempDir();
  const checkpoint = `${dir}/checkpoint`;
  const config = presetConfig("tiny");
  const params = initParams(config, createPrng(0));
  try {
    const name = "blocks.0.mlp.hidden.weight";
    const bad = params[name];
    const values = (await bad.data() as Float32Array).slice();
    values.fill(NaN, 0, 12);
    const nan = tf.tensor(values, bad.shape);
    await saveCheckpoint(checkpoint, {
      tensors: prefixTensors("params/", { ...params, [name]: nan }),
      sidecar: {
        config: { model: config },
        step: 3,
        dataCursor: null,
        prngState: createPrng(0).state(),
        datasetFingerprint: "d".repeat(64),
      },
    }, { allowNonFinite: true }); // as an older kit could have written it
    nan.dispose();
    const out = await runCli("cli/eval.ts", [
      checkpoint,
      "--test-size",
      "4",
      "--ks",
      "1",
      "--calibration-sets",
      "0",
      "--quiet",
    ]);
    assertEquals(out.code, 2, out.stderr);
    assertEquals(
      out.stderr.trim(),
      `eval: ${checkpoint}: tensor "params/${name}" has 12 non-finite values (NaN/Inf) out of ` +
        `${bad.size}; the weights diverged`,
    );
    assertEquals(out.stdout, "");
  } finally {
    disposeParams(params);
    await Deno.remove(dir, { recursive: true });
  }
});
