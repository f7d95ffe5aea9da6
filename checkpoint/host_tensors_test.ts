import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-webgpu";
import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { fromHostTensors, toHostTensors } from "./host_tensors.ts";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";

/** Whether tfjs can start its webgpu backend here (Deno's WebGPU; llvmpipe on CPU machines). */
const WEBGPU = await tf.setBackend("webgpu").catch(() => false);
await tf.setBackend("cpu");

const bytesOf = (data: ArrayBufferView) =>
  Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));

Deno.test("tf -> safetensors -> tf keeps every float32 bit and int32 value; no tensor leaks", async () => {
  // +0, -0, NaN, NaN with payload, +-Infinity, smallest subnormal, largest finite, 1/3
  const words = Uint32Array.of(
    0,
    0x80000000,
    0x7fc00000,
    0x7fa00001,
    0x7f800000,
    0xff800000,
    1,
    0x7f7fffff,
    0x3eaaaaab,
  );
  const floats = new Float32Array(words.buffer);
  const before = tf.memory().numTensors;
  const w = tf.tensor(floats, [3, 3], "float32");
  const step = tf.scalar(2 ** 31 - 1, "int32");
  const host = await toHostTensors({ w, "optim/step": step });
  assertEquals([host.w.dtype, host.w.shape, host["optim/step"].shape], ["F32", [3, 3], []]);
  const loaded = fromHostTensors(decodeSafetensors(encodeSafetensors(host)).tensors);
  assertEquals([loaded.w.dtype, loaded.w.shape], ["float32", [3, 3]]);
  assertEquals(bytesOf(await loaded.w.data()), bytesOf(floats));
  assertEquals([loaded["optim/step"].dtype, ...await loaded["optim/step"].data()], [
    "int32",
    2 ** 31 - 1,
  ]);
  tf.dispose([w, step, ...Object.values(loaded)]);
  assertEquals(tf.memory().numTensors, before);
});

Deno.test("host tensor bridge rejects dtypes a checkpoint cannot hold", async () => {
  const flag = tf.tensor1d([1, 0], "bool");
  await assertRejects(() => toHostTensors({ flag }), TypeError, 'tensor "flag" has dtype bool');
  flag.dispose();
  assertThrows(
    () => fromHostTensors({ w: { dtype: "F32", shape: [3], data: new Float32Array(2) } }),
    RangeError,
    'tensor "w": shape [3] has 3 elements',
  );
});

Deno.test({
  name: `webgpu backend: tensors read back from GPU buffers save bit-exactly${
    WEBGPU ? "" : " (SKIPPED: tfjs webgpu backend did not start here)"
  }`,
  ignore: !WEBGPU,
  fn: async () => {
    await tf.setBackend("webgpu");
    const forward = tf.env().get("WEBGPU_CPU_FORWARD");
    tf.env().set("WEBGPU_CPU_FORWARD", false); // small ops must run as shaders, not on the CPU
    try {
      // -0, NaN with a payload, -Infinity, smallest subnormal, largest finite, 1
      const words = Uint32Array.of(0x80000000, 0x7fa00001, 0xff800000, 1, 0x7f7fffff, 0x3f800000);
      const uploaded = tf.tensor(new Float32Array(words.buffer), [2, 3]);
      const moved = tf.transpose(tf.transpose(uploaded)); // two copy shaders: data now on the GPU
      const computed = tf.mul(tf.range(0, 4, 1, "float32"), 0.5); // [0, 0.5, 1, 1.5]
      const n = tf.neg(tf.scalar(3, "int32"));
      const gpuBytes = (tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number }).numBytesInGPU;
      assert((gpuBytes ?? 0) > 0, `expected GPU buffers, numBytesInGPU = ${gpuBytes}`);
      const host = await toHostTensors({ uploaded, moved, computed, n });
      const back = decodeSafetensors(encodeSafetensors(host)).tensors;
      assertEquals(Array.from(new Uint32Array(back.uploaded.data.buffer)), Array.from(words));
      assertEquals(bytesOf(back.moved.data), bytesOf(host.moved.data));
      assertEquals([Array.from(back.computed.data), back.n.data[0]], [[0, 0.5, 1, 1.5], -3]);
      const loaded = fromHostTensors(back);
      assertEquals(bytesOf(await loaded.uploaded.data()), bytesOf(words));
      tf.dispose([uploaded, moved, computed, n, ...Object.values(loaded)]);
    } finally {
      tf.env().set("WEBGPU_CPU_FORWARD", forward);
      await tf.setBackend("cpu");
    }
  },
});
