import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { DataError, parseJsonl, readJsonlFile } from "./jsonl.ts";

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
