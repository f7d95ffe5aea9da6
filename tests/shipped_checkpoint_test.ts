/**
 * The shipped warm-start checkpoint: it loads as the `small` preset, its bytes match the SHA-256
 * recorded in its sidecar, it stays under 5 MB, and its recipe stages are recorded.
 */
import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals, assertLessOrEqual } from "@std/assert";
import { initBackend } from "../model/backend.ts";
import { presetConfig } from "../model/config.ts";
import { sha256Hex } from "../checkpoint/fingerprint.ts";
import { paramShapes } from "../model/params.ts";
import { loadModelCheckpoint } from "../checkpoint/model_checkpoint.ts";
import { SHIPPED_WARMSTARTS } from "../train/policy_init.ts";
import { SHIPPED_POLICY_START } from "../policy/policy_run.ts";

Deno.test("shipped warm-start checkpoint loads and matches its recorded hash", async () => {
  await initBackend("cpu");
  const dir = SHIPPED_WARMSTARTS.small.pathname;
  const bytes = await Deno.readFile(`${dir}/model.safetensors`);
  assertLessOrEqual(bytes.length, 5 * 1024 * 1024);
  const sidecar = JSON.parse(await Deno.readTextFile(`${dir}/checkpoint.json`));
  assertEquals(await sha256Hex(bytes), sidecar.sha256);
  const loaded = await loadModelCheckpoint(dir, { expectModel: presetConfig("small") });
  assertEquals(Object.keys(loaded.params), Object.keys(paramShapes(presetConfig("small"))));
  assert(Array.isArray(sidecar.config.stages) && sidecar.config.stages.length === 3);
  assert(sidecar.extra.formatValidRate >= 0.95, "warm-start format-valid rate below 95%");
  tf.dispose(Object.values(loaded.params));
});

Deno.test("shipped policy warm-start loads as a small policy, matches its hash and leaves room to improve", async () => {
  await initBackend("cpu");
  const dir = SHIPPED_POLICY_START.pathname;
  const bytes = await Deno.readFile(`${dir}/model.safetensors`);
  assertLessOrEqual(bytes.length, 5 * 1024 * 1024);
  const sidecar = JSON.parse(await Deno.readTextFile(`${dir}/checkpoint.json`));
  assertEquals(await sha256Hex(bytes), sidecar.sha256);
  assertEquals(sidecar.config.kind, "policy");
  const loaded = await loadModelCheckpoint(dir, { expectModel: presetConfig("small") });
  // the recorded held-out numbers: it answers in the format, and wrongly often enough for RL
  const heldOut = sidecar.extra.heldOut;
  assert(heldOut.finishedRate >= 0.9, `finished rate ${heldOut.finishedRate}`);
  assert(heldOut.exactRate < 0.6, `exact rate ${heldOut.exactRate}: no room to improve`);
  tf.dispose(Object.values(loaded.params));
});
