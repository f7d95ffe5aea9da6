import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { DataError, decodeUtf8, parseJsonl, readJsonlFile, readTextFileStrict } from "./jsonl.ts";

Deno.test("parseJsonl: blank lines are skipped but keep their line numbers; CRLF and BOM pass", () => {
  const text = '\uFEFF{"a":1}\r\n\r\n   \n[2,3]\n"x"\n';
  const lines = parseJsonl(text, "t.jsonl");
  assertEquals(lines, [
    { source: "t.jsonl", line: 1, value: { a: 1 } },
    { source: "t.jsonl", line: 4, value: [2, 3] },
    { source: "t.jsonl", line: 5, value: "x" },
  ]);
  assertEquals(parseJsonl("", "e.jsonl"), []);
});

Deno.test("parseJsonl: malformed JSON names source and line (after blank lines)", () => {
  const error = assertThrows(
    () => parseJsonl('{"a":1}\n\n{"a":2}\n{"a":\n{"a":3}', "data/x.jsonl"),
    DataError,
    "data/x.jsonl:4: invalid JSON",
  );
  assertEquals([error.source, error.line, error.field], ["data/x.jsonl", 4, undefined]);
});

Deno.test("DataError: message format with and without a field", () => {
  const withField = new DataError("expected an integer in -3..3, got 7", {
    source: "data/x.jsonl",
    line: 12,
    field: "overall_preference",
  });
  assertEquals(
    withField.message,
    'data/x.jsonl:12: field "overall_preference": expected an integer in -3..3, got 7',
  );
  assertEquals(withField.name, "DataError");
  assertEquals(new DataError("bad", { source: "s", line: 1 }).message, "s:1: bad");
});

Deno.test("readJsonlFile: reads a file and names its path in errors", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/bad.jsonl`;
    await Deno.writeTextFile(path, '{"ok":true}\nnot json\n');
    await assertRejects(() => readJsonlFile(path), DataError, `${path}:2: invalid JSON`);
    await Deno.writeTextFile(path, '{"ok":true}\n');
    assertEquals((await readJsonlFile(path))[0].value, { ok: true });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(
    parts.flatMap((p) => typeof p === "string" ? [...new TextEncoder().encode(p)] : p),
  );

Deno.test("decodeUtf8: valid text passes (BOM dropped); the first bad byte is named by line and column", () => {
  assertEquals(decodeUtf8(bytes([0xef, 0xbb, 0xbf], "héllo ✓ 𝄞\n"), "s"), "héllo ✓ 𝄞\n");
  const cases: [Uint8Array, string][] = [
    [bytes('{"pair":"a', [0xff], '"}'), "s:1: not valid UTF-8 (byte 0xff at column 11)"],
    [bytes("ok\r\n\n", [0x20, 0xfe]), "s:3: not valid UTF-8 (byte 0xfe at column 2)"],
    [bytes("é\n€", [0xe2, 0x82]), "s:2: not valid UTF-8 (byte 0xe2 at column 4)"], // truncated at end
    [bytes([0xff], "\n{}\n"), "s:1: not valid UTF-8 (byte 0xff at column 1)"], // first byte
    [bytes([0xc0, 0xaf]), "s:1: not valid UTF-8 (byte 0xc0 at column 1)"], // overlong "/"
    [bytes("x", [0xed, 0xa0, 0x80]), "s:1: not valid UTF-8 (byte 0xed at column 2)"], // surrogate
    [bytes([0xf4, 0x90, 0x80, 0x80]), "s:1: not valid UTF-8 (byte 0xf4 at column 1)"], // > U+10FFFF
    [bytes("é", [0x80]), "s:1: not valid UTF-8 (byte 0x80 at column 3)"], // stray continuation
  ];
  for (const [input, message] of cases) {
    const error = assertThrows(() => decodeUtf8(input, "s"), DataError, message);
    assertEquals(error.message, message);
  }
});

Deno.test("readTextFileStrict / readJsonlFile: missing file, directory and bad bytes are DataErrors", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assertRejects(
      () => readTextFileStrict(`${dir}/x.jsonl`),
      DataError,
      `${dir}/x.jsonl: file not found`,
    );
    await assertRejects(() => readJsonlFile(dir), DataError, `${dir}: is a directory`);
    const path = `${dir}/ids.jsonl`;
    // Two distinct ids that a lenient decoder would both read as "a\uFFFD".
    await Deno.writeFile(path, bytes('{"id":"a', [0xff], '"}\n{"id":"a', [0xfe], '"}\n'));
    await assertRejects(
      () => readJsonlFile(path),
      DataError,
      `${path}:1: not valid UTF-8 (byte 0xff at column 9)`,
    );
    const error = new DataError("file not found", { source: "x.jsonl" });
    assertEquals([error.message, error.line], ["x.jsonl: file not found", undefined]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("decodeUtf8: agrees with the platform's strict decoder on random bytes (parity)", () => {
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  // Units: ASCII and newlines, whole valid characters (2, 3 and 4 bytes, at the edges of the
  // ranges), and single lead or continuation bytes, so valid and invalid inputs are both common.
  const valid = [[0x41], [0x0a], [0xc2, 0x80], [0xdf, 0xbf], [0xe0, 0xa0, 0x80], [
    0xed,
    0x9f,
    0xbf,
  ]];
  valid.push([0xef, 0xbf, 0xbf], [0xf0, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf]);
  const single = [
    0x80,
    0x8f,
    0x90,
    0x9f,
    0xa0,
    0xbf,
    0xc1,
    0xc2,
    0xe0,
    0xed,
    0xf0,
    0xf4,
    0xf5,
    0xff,
  ];
  const unit = () =>
    next() < 0.85
      ? valid[Math.floor(next() * valid.length)]
      : [single[Math.floor(next() * single.length)]];
  const strict = new TextDecoder("utf-8", { fatal: true });
  const decodes = (bytes: Uint8Array) => {
    try {
      strict.decode(bytes);
      return true;
    } catch {
      return false;
    }
  };
  let invalid = 0;
  for (let trial = 0; trial < 5000; trial++) {
    const input = Uint8Array.from(
      Array.from({ length: 1 + Math.floor(next() * 6) }, unit).flat(),
    );
    if (decodes(input)) {
      assertEquals(decodeUtf8(input, "r"), strict.decode(input));
      continue;
    }
    invalid++;
    const error = assertThrows(() => decodeUtf8(input, "r"), DataError);
    const [, hex, column] = /byte 0x([0-9a-f]{2}) at column (\d+)/.exec(error.message)!;
    const lineStarts = [0, ...[...input.keys()].filter((i) => input[i] === 0x0a).map((i) => i + 1)];
    const offset = lineStarts[error.line! - 1] + Number(column) - 1;
    assertEquals(parseInt(hex, 16), input[offset]);
    // Everything before the named byte is valid; the named byte cannot start what follows it.
    assert(decodes(input.subarray(0, offset)), error.message);
    const rest = input.subarray(offset);
    const lenient = new TextDecoder().decode(rest);
    assert(lenient.startsWith("\uFFFD"), `${error.message}: ${[...rest]}`);
  }
  assert(invalid > 1000 && invalid < 4000, `${invalid} invalid of 5000`);
});
