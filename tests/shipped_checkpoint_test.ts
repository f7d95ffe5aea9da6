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
