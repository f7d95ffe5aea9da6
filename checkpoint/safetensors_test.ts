import { assert, assertEquals, assertThrows } from "@std/assert";
import { createPrng } from "../rng/prng.ts";
import {
  CheckpointError,
  decodeSafetensors,
  encodeSafetensors,
  type HostTensor,
} from "./safetensors.ts";

const utf8 = new TextEncoder();
const bytesOf = (data: Float32Array | Int32Array) =>
  Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));

/** Float32 bit patterns JS number conversion could disturb, then random words. */
function trickyFloat32(n: number, seed: number): Float32Array {
  const words = [
    0x00000000, // +0
    0x80000000, // -0
    0x7fc00000, // canonical NaN
    0x7fa00001, // signalling NaN with a payload
    0xffc00123, // negative quiet NaN with a payload
    0x7f800000, // +Infinity
    0xff800000, // -Infinity
    0x00000001, // smallest subnormal
    0x807fffff, // largest negative subnormal
    0x7f7fffff, // largest finite
  ];
  const rng = createPrng(seed);
  while (words.length < n) words.push(rng.int(2 ** 16) * 2 ** 16 + rng.int(2 ** 16));
  return new Float32Array(Uint32Array.from(words).buffer);
}

/** A file with the given header text (space padded to 8) and `dataBytes` zero bytes of data. */
function rawFile(header: string, dataBytes: number): Uint8Array {
  const json = utf8.encode(header);
  const n = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + n + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  out.fill(0x20, 8, 8 + n);
  out.set(json, 8);
  return out;
}

Deno.test("encodeSafetensors: golden bytes of one F32 tensor [2] = [1, 2]", () => {
  const bytes = encodeSafetensors({ w: { dtype: "F32", shape: [2], data: Float32Array.of(1, 2) } });
  // Header JSON {"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}: 5 + 15 + 12 + 20 + 2 = 54
  // bytes ({"w": / {"dtype":"F32", / "shape":[2], / "data_offsets":[0,8] / }}), padded with two
  // spaces to 56 = 0x38. Data: 1.0f = 0x3f800000 and 2.0f = 0x40000000, little-endian.
  const json = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  assertEquals(Array.from(bytes), [
    ...[56, 0, 0, 0, 0, 0, 0, 0],
    ...Array.from(json, (c) => c.charCodeAt(0)),
    ...[32, 32],
    ...[0, 0, 128, 63],
    ...[0, 0, 0, 64],
  ]);
});

Deno.test("encodeSafetensors: byte-equal to the safetensors reference's own test vectors", () => {
  // Copied from huggingface/safetensors safetensors/src/tensor.rs, tests test_serialization,
  // test_serialization_forced_alignement and test_empty (the Rust writer behind Python's save_file).
  const data = Float32Array.of(0, 1, 2, 3, 4, 5);
  const floats = [
    0,
    0,
    0,
    0,
    0,
    0,
    128,
    63,
    0,
    0,
    0,
    64,
    0,
    0,
    64,
    64,
    0,
    0,
    128,
    64,
    0,
    0,
    160,
    64,
  ];
  const header = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
  assertEquals(
    Array.from(encodeSafetensors({ "attn.0": { dtype: "F32", shape: [1, 2, 3], data } })),
    [
      ...[64, 0, 0, 0, 0, 0, 0, 0],
      ...header('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}'),
      ...floats,
    ],
  );
  assertEquals(
    Array.from(encodeSafetensors({ attn0: { dtype: "F32", shape: [1, 1, 2, 3], data } })),
    [
      ...[72, 0, 0, 0, 0, 0, 0, 0],
      ...header('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}'),
      ...[32, 32, 32, 32, 32, 32, 32],
      ...floats,
    ],
  );
  assertEquals(Array.from(encodeSafetensors({})), [
    8,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    123,
    125,
    ...Array(6).fill(32),
  ]);
  assertEquals(Array.from(encodeSafetensors({}, { framework: "pt" })), [
    ...[40, 0, 0, 0, 0, 0, 0, 0],
    ...header('{"__metadata__":{"framework":"pt"}}'),
    ...[32, 32, 32, 32, 32],
  ]);
});

Deno.test("encode/decode match a file written by Python safetensors 0.8.0 save_file", () => {
  // Written by: from safetensors.numpy import save_file; save_file({"s": np.array(3, np.int32),
  //   "e": np.zeros((2, 0, 3), np.float32), "\uff01": np.arange(3, dtype=np.float32),
  //   "\U0001F600": np.ones(2, np.float32), "b": np.array([-1, 2], np.int32)}, path)
  // It covers a scalar, a zero-size tensor, dtype order and UTF-8 name order.
  const reference = Uint8Array.from(
    atob(
      "IAEAAAAAAAB7ImUiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzIsMCwzXSwiZGF0YV9vZmZzZXRzIjpbMCwwXX0sIu+8" +
        "gSI6eyJkdHlwZSI6IkYzMiIsInNoYXBlIjpbM10sImRhdGFfb2Zmc2V0cyI6WzAsMTJdfSwi8J+YgCI6eyJkdHlwZSI6" +
        "IkYzMiIsInNoYXBlIjpbMl0sImRhdGFfb2Zmc2V0cyI6WzEyLDIwXX0sImIiOnsiZHR5cGUiOiJJMzIiLCJzaGFwZSI6" +
        "WzJdLCJkYXRhX29mZnNldHMiOlsyMCwyOF19LCJzIjp7ImR0eXBlIjoiSTMyIiwic2hhcGUiOltdLCJkYXRhX29mZnNl" +
        "dHMiOlsyOCwzMl19fSAgICAgICAAAAAAAACAPwAAAEAAAIA/AACAP/////8CAAAAAwAAAA==",
    ),
    (c) => c.charCodeAt(0),
  );
  const { tensors, metadata } = decodeSafetensors(reference);
  const summary = Object.fromEntries(
    Object.entries(tensors).map(([k, t]) => [k, [t.dtype, t.shape, Array.from(t.data)]]),
  );
  assertEquals(summary, {
    s: ["I32", [], [3]],
    e: ["F32", [2, 0, 3], []],
    "\uFF01": ["F32", [3], [0, 1, 2]],
    "\u{1F600}": ["F32", [2], [1, 1]],
    b: ["I32", [2], [-1, 2]],
  });
  assertEquals(metadata, {});
  assertEquals(Array.from(encodeSafetensors(tensors)), Array.from(reference));
});

Deno.test("encodeSafetensors: F32 before I32, then names by UTF-8 bytes; metadata first", () => {
  const f = (): HostTensor => ({ dtype: "F32", shape: [1], data: new Float32Array(1) });
  const i = (): HostTensor => ({ dtype: "I32", shape: [], data: new Int32Array(1) });
  // U+FF01 is EF BC 81 in UTF-8, U+1F600 is F0 9F 98 80: UTF-8 order puts U+FF01 first, while
  // JavaScript's UTF-16 order (D83D < FF01) would put the emoji first.
  const bytes = encodeSafetensors({ b: i(), a: i(), "\u{1F600}": f(), "\uFF01": f(), z: f() }, {
    y: "2",
    x: "1",
  });
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  assertEquals(Object.keys(header), ["__metadata__", "z", "\uFF01", "\u{1F600}", "a", "b"]);
  assertEquals(Object.keys(header.__metadata__), ["x", "y"]);
  assertEquals(header.a.data_offsets, [12, 16]);
  assertEquals(n % 8, 0);
});

Deno.test("round trip is bit-exact: -0, NaN payloads, infinities, subnormals, int32 extremes", () => {
  const floats = trickyFloat32(64, 1);
  const ints = Int32Array.of(-(2 ** 31), 2 ** 31 - 1, 0, -1, 123456789);
  const tensors: Record<string, HostTensor> = {
    "params/w": { dtype: "F32", shape: [4, 16], data: floats },
    "optim/step": { dtype: "I32", shape: [], data: Int32Array.of(42) },
    ints: { dtype: "I32", shape: [5], data: ints },
    empty: { dtype: "F32", shape: [2, 0, 3], data: new Float32Array(0) },
  };
  const bytes = encodeSafetensors(tensors, { note: "x" });
  const decoded = decodeSafetensors(bytes);
  assertEquals(Object.keys(decoded.tensors).sort(), Object.keys(tensors).sort());
  for (const [name, t] of Object.entries(tensors)) {
    const back = decoded.tensors[name];
    assertEquals([back.dtype, back.shape], [t.dtype, t.shape], name);
    assert(back.data instanceof (t.dtype === "F32" ? Float32Array : Int32Array), name);
    assertEquals(bytesOf(back.data), bytesOf(t.data), name);
  }
  assertEquals(decoded.metadata, { note: "x" });
  assertEquals(Array.from(encodeSafetensors(decoded.tensors, decoded.metadata)), Array.from(bytes));
  bytes.fill(0); // decoded data are copies, not views into the file bytes
  assertEquals(bytesOf(decoded.tensors["params/w"].data), bytesOf(floats));
});

Deno.test("decodeSafetensors: reads any offset order, unpadded headers, extra fields", () => {
  const header = '{"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8],"note":1},' +
    '"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}';
  const json = utf8.encode(header);
  const bytes = new Uint8Array(8 + json.length + 8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  new DataView(bytes.buffer).setInt32(8 + json.length, -7, true);
  new DataView(bytes.buffer).setFloat32(8 + json.length + 4, 0.5, true);
  const { tensors, metadata } = decodeSafetensors(bytes);
  assertEquals([tensors.a.data[0], tensors.b.data[0], metadata], [-7, 0.5, {}]);
});

Deno.test("decodeSafetensors: every malformed file is a CheckpointError naming source and fault", () => {
  const t = (spec: string) => `{"t":${spec}}`;
  const f32 = (shape: string, offsets: string) =>
    t(`{"dtype":"F32","shape":${shape},"data_offsets":${offsets}}`);
  const tooLong = new Uint8Array(16);
  new DataView(tooLong.buffer).setBigUint64(0, 100_000_001n, true);
  const beyond = new Uint8Array(16);
  new DataView(beyond.buffer).setBigUint64(0, 9n, true);
  const notUtf8 = rawFile("{}", 0);
  notUtf8[9] = 0xff;
  const cases: [Uint8Array, string][] = [
    [new Uint8Array(5), "truncated: 5 bytes, fewer than the 8-byte header length"],
    [tooLong, "header length 100000001 exceeds the 100 MB limit"],
    [beyond, "truncated: header length 9 needs 17 bytes, file has 16"],
    [notUtf8, "header is not valid UTF-8"],
    [rawFile(" {}", 0), 'header must start with "{"'],
    [rawFile('{"t":{"dtype":"F32",', 0), "header is not valid JSON"],
    [rawFile('{"t":1}', 0), 'tensor "t": header entry is not an object'],
    [rawFile(f32("[1]", "[0,4]").replace("F32", "F33"), 4), 'tensor "t": unknown dtype "F33"'],
    [rawFile(f32("[2]", "[0,4]").replace("F32", "F16"), 4), "dtype F16 is not supported"],
    [rawFile(f32("[-1]", "[0,4]"), 4), "shape [-1] is not a list of integers >= 0"],
    [rawFile(f32("[1.5]", "[0,4]"), 4), "shape [1.5] is not a list"],
    [rawFile(f32("[1]", "[0]"), 4), "data_offsets [0] is not [begin, end]"],
    [rawFile(f32("[0]", "[4,0]"), 4), "data_offsets [4, 0] end before they begin"],
    [rawFile(f32("[2]", "[0,4]"), 4), "shape [2] with dtype F32 needs 8 bytes but data_offsets"],
    [rawFile(f32("[1]", "[4,8]"), 8), "not contiguous: gap of 4 bytes, the data starts at 0"],
    [
      rawFile(f32("[2]", "[0,8]"), 7),
      'truncated: tensor "t" data_offsets [0, 8] reach beyond the 7-byte',
    ],
    [rawFile(f32("[1]", "[0,4]"), 6), "2 trailing bytes after the last tensor"],
    [rawFile('{"__metadata__":{"a":1}}', 0), "__metadata__.a is not a string: 1"],
    [rawFile('{"__metadata__":[]}', 0), "__metadata__ is not an object of strings"],
    [
      rawFile(
        '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
          '"b":{"dtype":"I32","shape":[1],"data_offsets":[4,8]}}',
        8,
      ),
      'tensor "b" data_offsets [4, 8] overlap: tensor "a" ends at 8',
    ],
    [
      rawFile(
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},' +
          '"b":{"dtype":"I32","shape":[1],"data_offsets":[8,12]}}',
        12,
      ),
      'tensor "b" data_offsets [8, 12] are not contiguous: gap of 4 bytes, tensor "a" ends at 4',
    ],
  ];
  for (const [bytes, message] of cases) {
    assertThrows(
      () => decodeSafetensors(bytes, { source: "run/x.safetensors" }),
      CheckpointError,
      `run/x.safetensors: `,
    );
    assertThrows(() => decodeSafetensors(bytes), CheckpointError, message);
  }
});

Deno.test("encodeSafetensors: bad tensors and metadata are rejected before any byte is written", () => {
  const w = new Float32Array(2);
  assertThrows(
    () => encodeSafetensors({ w: { dtype: "I32", shape: [2], data: w } }),
    TypeError,
    'tensor "w": dtype I32 needs a Int32Array',
  );
  assertThrows(
    () => encodeSafetensors({ w: { dtype: "F16" as "F32", shape: [2], data: w } }),
    TypeError,
    '"F16" is not F32 or I32',
  );
  assertThrows(
    () => encodeSafetensors({ w: { dtype: "F32", shape: [3], data: w } }),
    RangeError,
    "shape [3] has 3 elements, data has 2",
  );
  assertThrows(
    () => encodeSafetensors({ w: { dtype: "F32", shape: [-2, -1], data: w } }),
    RangeError,
    "[-2,-1] is not [int >= 0]",
  );
  assertThrows(
    () => encodeSafetensors({ __metadata__: { dtype: "F32", shape: [2], data: w } }),
    TypeError,
    "reserved",
  );
  assertThrows(
    () => encodeSafetensors({}, { a: 1 as unknown as string }),
    TypeError,
    'metadata "a" must be a string, got 1',
  );
});

async function pythonCan(code: string): Promise<boolean> {
  const probe = new Deno.Command("python3", { args: ["-c", code], stdout: "null", stderr: "null" });
  return await probe.output().then((out) => out.success, () => false);
}
const PYTHON_NUMPY = await pythonCan("import numpy");
// The reference package is optional: pip cannot reach PyPI here. Where a wheel exists, e.g.
// `pip install --no-index --target /tmp/pyst safetensors-*.whl`, run with PYTHONPATH=/tmp/pyst.
const PYTHON_SAFETENSORS = PYTHON_NUMPY && await pythonCan("import safetensors.numpy");

/**
 * Independent reader: struct + json + numpy. With the safetensors package it also checks that
 * `load_file` returns the same arrays and that `save_file` of those arrays writes our exact bytes.
 */
const PYTHON_READER = `
import json, struct, sys
import numpy as np
path = sys.argv[1]
raw = open(path, "rb").read()
(n,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8:8 + n].decode("utf-8"))
data = raw[8 + n:]
metadata = header.pop("__metadata__", {})
out = {"n": n, "metadata": metadata, "dataBytes": len(data), "tensors": {}}
arrays = {}
for name, info in header.items():
    b, e = info["data_offsets"]
    arr = np.frombuffer(data[b:e], dtype={"F32": "<f4", "I32": "<i4"}[info["dtype"]])
    arr = arrays[name] = arr.reshape(info["shape"])
    words = arr.view("<u4") if info["dtype"] == "F32" else arr
    finite = arr[np.isfinite(arr)]
    out["tensors"][name] = {"dtype": info["dtype"], "shape": list(arr.shape), "offsets": [b, e],
        "words": [int(x) for x in words.ravel()], "sum": float(np.sum(finite, dtype=np.float64))}
try:
    from safetensors.numpy import load_file, save_file
except ImportError:
    out["reference"] = None
else:
    ref = load_file(path)
    save_file(arrays, path + ".ref", metadata=metadata)
    out["reference"] = {
        "loadAgrees": sorted(ref) == sorted(arrays) and all(
            ref[k].dtype == arrays[k].dtype and ref[k].shape == arrays[k].shape
            and ref[k].tobytes() == arrays[k].tobytes() for k in arrays),
        "saveBytesEqual": open(path + ".ref", "rb").read() == raw,
    }
print(json.dumps(out))
`;

Deno.test({
  name: `python parity: numpy reads our file bit-exactly${
    !PYTHON_NUMPY
      ? " (SKIPPED: python3 with numpy not found)"
      : PYTHON_SAFETENSORS
      ? "; safetensors load_file agrees and save_file writes the same bytes"
      : " (safetensors package not importable: numpy parse only)"
  }`,
  ignore: !PYTHON_NUMPY,
  fn: async () => {
    const rng = createPrng(5);
    const normal = Float32Array.from({ length: 300 }, () => rng.normal());
    const tensors: Record<string, HostTensor> = {
      "params/tokenEmbedding": { dtype: "F32", shape: [20, 15], data: normal },
      "params/tricky": { dtype: "F32", shape: [2, 2, 8], data: trickyFloat32(32, 9) },
      "optim/step": { dtype: "I32", shape: [], data: Int32Array.of(77) },
      "ids": { dtype: "I32", shape: [3], data: Int32Array.of(-(2 ** 31), -1, 2 ** 31 - 1) },
    };
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/model.safetensors`;
      await Deno.writeFile(path, encodeSafetensors(tensors, { format: "irpm-kit-checkpoint" }));
      const run = await new Deno.Command("python3", { args: ["-c", PYTHON_READER, path] }).output();
      assert(run.success, new TextDecoder().decode(run.stderr));
      const py = JSON.parse(new TextDecoder().decode(run.stdout));
      assertEquals(py.n % 8, 0);
      assertEquals(py.metadata, { format: "irpm-kit-checkpoint" });
      if (PYTHON_SAFETENSORS) {
        assertEquals(py.reference, { loadAgrees: true, saveBytesEqual: true });
      } else assertEquals(py.reference, null);
      let end = 0;
      for (const [name, t] of Object.entries(tensors)) {
        const got = py.tensors[name];
        assertEquals([got.dtype, got.shape], [t.dtype, t.shape], name);
        const words = t.dtype === "F32" ? new Uint32Array(t.data.buffer) : t.data;
        assertEquals(got.words, Array.from(words), name);
        const finite = Array.from(t.data).filter(Number.isFinite);
        const sum = finite.reduce((a, b) => a + b, 0);
        assert(Math.abs(got.sum - sum) <= 1e-9 * (1 + finite.reduce((a, b) => a + Math.abs(b), 0)));
        end = Math.max(end, got.offsets[1]);
      }
      assertEquals(end, py.dataBytes);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
