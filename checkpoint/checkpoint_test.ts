import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import { createPrng } from "../rng/prng.ts";
import {
  CHECKPOINT_FILES,
  checkpointTensorNames as names,
  loadCheckpoint,
  prefixTensors,
  saveCheckpoint,
  tensorsUnderPrefix,
} from "./checkpoint.ts";
import type { CheckpointSidecar } from "./checkpoint_sidecar.ts";
import { sha256Hex } from "./fingerprint.ts";
import { CheckpointError, decodeSafetensors } from "./safetensors.ts";

await tf.setBackend("cpu");

const bytesOf = (data: ArrayBufferView) =>
  Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));

const CONFIG = { model: { width: 16, depth: 1 }, optimizer: { lr: 1e-3, betas: [0.9, 0.95] } };

function sidecar(step: number, config: object = CONFIG): CheckpointSidecar {
  return {
    config: config as Record<string, unknown>,
    step,
    dataCursor: { epoch: 0, index: 8 * step },
    prngState: createPrng(step).state(),
    datasetFingerprint: "d".repeat(64),
  };
}

/** Weights with -0, NaN payloads, infinities and subnormals, AdamW moments, and the step. */
function trainingState(step: number): Record<string, tf.Tensor> {
  const special = new Float32Array(
    Uint32Array.of(0x80000000, 0x7fa00001, 0xff800000, 1, 0x7f7fffff, 0xffc00123).buffer,
  );
  const rng = createPrng(100 + step);
  const random = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  const params = {
    tokenEmbedding: tf.tensor(random(12), [4, 3]),
    "block0.weight": tf.tensor(special, [2, 3]),
  };
  const m = { tokenEmbedding: tf.tensor(random(12), [4, 3]), "block0.weight": tf.zeros([2, 3]) };
  const v = { tokenEmbedding: tf.tensor(random(12), [4, 3]), "block0.weight": tf.ones([2, 3]) };
  return {
    ...prefixTensors(names.params, params),
    ...prefixTensors(names.adamwM, m),
    ...prefixTensors(names.adamwV, v),
    [names.step]: tf.scalar(step, "int32"),
  };
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "irpm-checkpoint-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function listDir(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) out.push(entry.name);
  return out.sort();
}

/** Saves step `step`, returns the saved tensors' bytes, and disposes the tensors. */
async function saveStep(dir: string, step: number): Promise<Record<string, number[]>> {
  const tensors = trainingState(step);
  await saveCheckpoint(dir, { tensors, sidecar: sidecar(step) }, { allowNonFinite: true });
  const bytes: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(tensors)) bytes[name] = bytesOf(await t.data());
  tf.dispose(Object.values(tensors));
  return bytes;
}

async function loadBytes(dir: string, options = {}) {
  const loaded = await loadCheckpoint(dir, { allowNonFinite: true, ...options });
  const bytes: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(loaded.tensors)) bytes[name] = bytesOf(await t.data());
  tf.dispose(Object.values(loaded.tensors));
  return { bytes, sidecar: loaded.sidecar };
}

Deno.test("save then load is bit-exact and leaks no tensors; sidecar holds the file's sha256", async () => {
  await withTempDir(async (dir) => {
    const before = tf.memory().numTensors;
    const saved = await saveStep(dir, 3);
    const { bytes, sidecar: loaded } = await loadBytes(dir, {
      expect: { config: structuredClone(CONFIG), datasetFingerprint: "d".repeat(64) },
    });
    assertEquals(tf.memory().numTensors, before);
    assertEquals(bytes, saved);
    assertEquals(Object.keys(bytes).sort(), [
      "optim/adamw.m.block0.weight",
      "optim/adamw.m.tokenEmbedding",
      "optim/adamw.step",
      "optim/adamw.v.block0.weight",
      "optim/adamw.v.tokenEmbedding",
      "params/block0.weight",
      "params/tokenEmbedding",
    ]);
    assertEquals(await listDir(dir), ["checkpoint.json", "model.safetensors"]);
    const file = await Deno.readFile(`${dir}/${CHECKPOINT_FILES.tensors}`);
    const onDisk = JSON.parse(await Deno.readTextFile(`${dir}/${CHECKPOINT_FILES.sidecar}`));
    assertEquals(onDisk, loaded);
    assertEquals(onDisk, {
      format: "irpm-kit-checkpoint",
      version: 1,
      ...sidecar(3),
      sha256: await sha256Hex(file),
    });
    const { metadata } = decodeSafetensors(file);
    assertEquals(metadata, { format: "irpm-kit-checkpoint", step: "3", version: "1" });
  });
});

Deno.test("tensor-name helpers split a loaded checkpoint back into params and moments", () => {
  const flat = {
    ...prefixTensors(names.params, { w: 1 }),
    ...prefixTensors(names.adamwV, { w: 2 }),
  };
  assertEquals(flat, { "params/w": 1, "optim/adamw.v.w": 2 });
  assertEquals(tensorsUnderPrefix(names.params, flat), { w: 1 });
  assertEquals(tensorsUnderPrefix(names.adamwV, flat), { w: 2 });
  assertEquals(tensorsUnderPrefix(names.adamwM, flat), {});
});

Deno.test("a file truncated by one byte or with one flipped byte fails its sha256 check", async () => {
  await withTempDir(async (dir) => {
    await saveStep(dir, 1);
    const path = `${dir}/${CHECKPOINT_FILES.tensors}`;
    const good = await Deno.readFile(path);
    const expected = await sha256Hex(good);
    const damaged = [good.slice(0, good.length - 1), good.slice()];
    damaged[1][good.length - 5] ^= 0x01; // one bit inside the last tensor's data
    for (const bytes of damaged) {
      await Deno.writeFile(path, bytes);
      const error = await assertRejects(() => loadCheckpoint(dir), CheckpointError);
      assertStringIncludes(error.message, `${path}: sha256 mismatch`);
      assertStringIncludes(error.message, `expects ${expected}`);
      assertStringIncludes(error.message, `the file has ${await sha256Hex(bytes)}`);
    }
  });
});

Deno.test("resume checks: config fields, dataset fingerprint, missing files, bad sidecar", async () => {
  await withTempDir(async (dir) => {
    const sidecarPath = `${dir}/${CHECKPOINT_FILES.sidecar}`;
    await assertRejects(() => loadCheckpoint(dir), CheckpointError, "model.safetensors: missing");
    await saveStep(dir, 2);
    const other = { model: { width: 32, depth: 1 }, optimizer: { lr: 1e-3, betas: [0.9, 0.99] } };
    const error = await assertRejects(
      () => loadCheckpoint(dir, { expect: { config: other } }),
      CheckpointError,
      `${sidecarPath}: config differs from the expected config in 2 field(s)`,
    );
    assertStringIncludes(error.message, "config.model.width: checkpoint has 16, expected 32");
    assertStringIncludes(error.message, "config.optimizer.betas[1]: checkpoint has 0.95");
    await assertRejects(
      () => loadCheckpoint(dir, { expect: { datasetFingerprint: "e".repeat(64) } }),
      CheckpointError,
      `datasetFingerprint ${"d".repeat(64)} differs from the expected ${"e".repeat(64)}`,
    );
    const text = await Deno.readTextFile(sidecarPath);
    await Deno.writeTextFile(sidecarPath, text.replace('"version": 1', '"version": 2'));
    await assertRejects(() => loadCheckpoint(dir), CheckpointError, "version 2 is not supported");
    await Deno.writeTextFile(sidecarPath, text.replace('"step": 2', '"step": -2'));
    await assertRejects(() => loadCheckpoint(dir), CheckpointError, "step must be an integer >= 0");
    await Deno.writeTextFile(sidecarPath, text.slice(0, 40));
    await assertRejects(
      () => loadCheckpoint(dir),
      CheckpointError,
      `${sidecarPath}: not valid JSON`,
    );
    await Deno.remove(sidecarPath);
    await assertRejects(
      () => loadCheckpoint(dir),
      CheckpointError,
      `${sidecarPath}: missing, so ${dir}/model.safetensors cannot be verified`,
    );
  });
});

Deno.test("a corrupt safetensors header whose hash was recorded is reported by the parser", async () => {
  await withTempDir(async (dir) => {
    await saveStep(dir, 1);
    const path = `${dir}/${CHECKPOINT_FILES.tensors}`,
      sidecarPath = `${dir}/${CHECKPOINT_FILES.sidecar}`;
    const bytes = await Deno.readFile(path);
    bytes[8] = "[".charCodeAt(0); // the header's opening brace
    await Deno.writeFile(path, bytes);
    const record = JSON.parse(await Deno.readTextFile(sidecarPath));
    await Deno.writeTextFile(
      sidecarPath,
      JSON.stringify({ ...record, sha256: await sha256Hex(bytes) }),
    );
    await assertRejects(
      () => loadCheckpoint(dir),
      CheckpointError,
      `${path}: header must start with "{"`,
    );
    bytes[8] = "{".charCodeAt(0);
    bytes[9] = "}".charCodeAt(0); // '{}"optim/...' is not JSON
    await Deno.writeFile(path, bytes);
    await Deno.writeTextFile(
      sidecarPath,
      JSON.stringify({ ...record, sha256: await sha256Hex(bytes) }),
    );
    await assertRejects(
      () => loadCheckpoint(dir),
      CheckpointError,
      `${path}: header is not valid JSON`,
    );
  });
});

Deno.test("saving over a checkpoint replaces it completely and leaves no temp files", async () => {
  await withTempDir(async (dir) => {
    await saveStep(dir, 1);
    const w = tf.tensor1d([5, 6]);
    await saveCheckpoint(dir, {
      tensors: { "params/only": w },
      sidecar: sidecar(9, { small: true }),
    });
    w.dispose();
    const { bytes, sidecar: loaded } = await loadBytes(dir, {
      expect: { config: { small: true } },
    });
    assertEquals(Object.keys(bytes), ["params/only"]);
    assertEquals([loaded.step, loaded.config], [9, { small: true }]);
    assertEquals(await listDir(dir), ["checkpoint.json", "model.safetensors"]);
  });
});

Deno.test("crash leftovers: stale temp files never break loading; a save cleans them up", async () => {
  await withTempDir(async (dir) => {
    const saved = await saveStep(dir, 1);
    // A crash during step 1 of a later save: partial temp files beside the complete checkpoint.
    await Deno.writeFile(`${dir}/model.safetensors.77-dead.tmp`, new Uint8Array([1, 2, 3]));
    await Deno.writeTextFile(`${dir}/checkpoint.json.77-dead.tmp`, '{"format": "irpm-kit-che');
    const { bytes, sidecar: loaded } = await loadBytes(dir);
    assertEquals([bytes, loaded.step], [saved, 1]);
    await saveStep(dir, 2);
    assertEquals(await listDir(dir), ["checkpoint.json", "model.safetensors"]);
  });
});

Deno.test("crash between the two renames: the loader finds the new sidecar and loads step 2", async () => {
  await withTempDir(async (dir) => {
    await withTempDir(async (next) => {
      await saveStep(dir, 1);
      const saved2 = await saveStep(next, 2);
      // What a save of step 2 into `dir` leaves if it dies after renaming the tensors file:
      await Deno.copyFile(`${next}/model.safetensors`, `${dir}/model.safetensors`);
      await Deno.copyFile(`${next}/checkpoint.json`, `${dir}/checkpoint.json.1-abc.tmp`);
      const { bytes, sidecar: loaded } = await loadBytes(dir);
      assertEquals([bytes, loaded.step], [saved2, 2]);
      // Without that temp sidecar the mix of new tensors and old sidecar is an error, not a load.
      await Deno.remove(`${dir}/checkpoint.json.1-abc.tmp`);
      await assertRejects(() => loadCheckpoint(dir), CheckpointError, "sha256 mismatch");
    });
  });
});

Deno.test("saveCheckpoint rejects a bad sidecar or tensor before touching the directory", async () => {
  await withTempDir(async (root) => {
    const dir = `${root}/run`;
    const w = tf.tensor1d([1]);
    const flag = tf.tensor1d([1], "bool");
    const bad: [Partial<CheckpointSidecar>, ErrorConstructor | RangeErrorConstructor, string][] = [
      [{ step: 1.5 }, RangeError, "step must be an integer >= 0, got 1.5"],
      [{ prngState: [1, -2] }, RangeError, "prngState must be uint32 words"],
      [{ datasetFingerprint: "" }, TypeError, "datasetFingerprint must be a non-empty string"],
      [{ config: { lr: Infinity } }, TypeError, "$.config.lr is Infinity"],
      [{ dataCursor: undefined }, TypeError, "dataCursor must be a JSON value"],
      [{ dataCursor: { at: NaN } }, TypeError, "$.dataCursor.at is NaN"],
    ];
    for (const [patch, ErrorClass, message] of bad) {
      const s = { ...sidecar(1), ...patch };
      await assertRejects(
        () => saveCheckpoint(dir, { tensors: { w }, sidecar: s }),
        ErrorClass,
        message,
      );
    }
    await assertRejects(
      () => saveCheckpoint(dir, { tensors: { flag }, sidecar: sidecar(1) }),
      TypeError,
      'tensor "flag" has dtype bool',
    );
    tf.dispose([w, flag]);
    assertEquals(await listDir(root), []);
  });
});

Deno.test("two saves of the same state write identical bytes; different steps do not", async () => {
  await withTempDir(async (dir) => {
    await saveStep(dir, 4);
    const first = await Deno.readFile(`${dir}/model.safetensors`);
    const firstSidecar = await Deno.readTextFile(`${dir}/checkpoint.json`);
    await saveStep(dir, 4);
    assertEquals(await Deno.readFile(`${dir}/model.safetensors`), first);
    assertEquals(await Deno.readTextFile(`${dir}/checkpoint.json`), firstSidecar);
    assertMatch(firstSidecar, /"sha256": "[0-9a-f]{64}"\n}\n$/);
    await saveStep(dir, 5);
    assertNotEquals(await Deno.readFile(`${dir}/model.safetensors`), first);
    assert((await listDir(dir)).length === 2);
  });
});

Deno.test("a save that fails before its commit removes its temp files", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/model.safetensors/blocker`, { recursive: true }); // rename target
    const tensors = trainingState(1);
    await assertRejects(
      () => saveCheckpoint(dir, { tensors, sidecar: sidecar(1) }, { allowNonFinite: true }),
      Deno.errors.IsADirectory,
    );
    tf.dispose(Object.values(tensors));
    assertEquals(await listDir(dir), ["model.safetensors"]);
  });
});

Deno.test("NaN/Inf weights: saving refuses them, loading names the directory and the tensor", async () => {
  await withTempDir(async (root) => {
    const dir = `${root}/run/checkpoint`;
    const finite = tf.tensor1d([1, 2]);
    const diverged = tf.tensor2d([[NaN, 1, Infinity], [2, -Infinity, 3]]);
    const tensors = {
      "optim/adamw.m.w": diverged,
      "params/ok": finite,
      "params/w": diverged,
      "params/z": diverged,
    };
    const saving = await assertRejects(
      () => saveCheckpoint(dir, { tensors, sidecar: sidecar(3) }),
      RangeError,
    );
    assertEquals(
      saving.message,
      `saveCheckpoint ${dir}: tensor "params/w" has 3 non-finite values (NaN/Inf) out of 6 ` +
        "(and 2 more tensors); the weights diverged; not saved",
    );
    assertEquals(await listDir(root), [], "the directory was touched");
    // A checkpoint with NaN weights on disk (written by an older kit, say) is refused on load.
    await saveCheckpoint(dir, { tensors, sidecar: sidecar(3) }, { allowNonFinite: true });
    const before = tf.memory().numTensors;
    const loading = await assertRejects(() => loadCheckpoint(dir), CheckpointError);
    assertEquals(
      loading.message,
      `${dir}: tensor "params/w" has 3 non-finite values (NaN/Inf) out of 6 ` +
        "(and 2 more tensors); the weights diverged",
    );
    assertEquals(tf.memory().numTensors, before, "tensors were created for a refused checkpoint");
    // Only the optimizer state diverged: named as such.
    await saveCheckpoint(dir, {
      tensors: { "params/ok": finite, "optim/adamw.v.ok": tf.tensor1d([NaN, 0]) },
      sidecar: sidecar(4),
    }, { allowNonFinite: true });
    await assertRejects(
      () => loadCheckpoint(dir),
      CheckpointError,
      'tensor "optim/adamw.v.ok" has 1 non-finite value (NaN/Inf) out of 2; the optimizer state',
    );
    const loaded = await loadCheckpoint(dir, { allowNonFinite: true });
    assertEquals(Array.from(await loaded.tensors["params/ok"].data()), [1, 2]);
    tf.dispose([finite, diverged, ...Object.values(loaded.tensors)]);
  });
});

const PYTHON = await new Deno.Command("python3", { args: ["-c", "import hashlib, json"] }).output()
  .then((out) => out.success, () => false);

Deno.test({
  name: `python parity: hashlib agrees with the sidecar's sha256${
    PYTHON ? "" : " (SKIPPED: python3 not found)"
  }`,
  ignore: !PYTHON,
  fn: async () => {
    await withTempDir(async (dir) => {
      await saveStep(dir, 6);
      const script = "import hashlib, json, sys; d = sys.argv[1]; " +
        "meta = json.load(open(d + '/checkpoint.json')); " +
        "digest = hashlib.sha256(open(d + '/model.safetensors', 'rb').read()).hexdigest(); " +
        "print(json.dumps([meta['sha256'], digest, meta['step']]))";
      const run = await new Deno.Command("python3", { args: ["-c", script, dir] }).output();
      assert(run.success, new TextDecoder().decode(run.stderr));
      const [recorded, digest, step] = JSON.parse(new TextDecoder().decode(run.stdout));
      assertEquals([digest, step], [recorded, 6]);
    });
  },
});
