import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { DataError } from "../data/jsonl.ts";
import { parseJudgeBench, readJudgeBench } from "./judgebench_jsonl.ts";

const good = { question: "2+2?", response_A: "4", response_B: "5", label: "A>B" };
const line = (o: Record<string, unknown>) => JSON.stringify(o);

Deno.test("parseJudgeBench: fields, ids (pair_id, id, integer, file:line), source", () => {
  const text = [
    line({ ...good, pair_id: "x-1", source: "livebench-math" }),
    "",
    line({ ...good, id: 17, label: "B>A" }),
    line(good),
  ].join("\n");
  const rows = parseJudgeBench(text, "jb.jsonl");
  assertEquals(rows.map((r) => [r.id, r.label, r.source]), [
    ["x-1", "A>B", "livebench-math"],
    ["17", "B>A", "default"],
    ["jb.jsonl:4", "A>B", "default"], // blank line 2 still counts
  ]);
  assertEquals([rows[0].responseA, rows[0].responseB, rows[0].question], ["4", "5", "2+2?"]);
});

Deno.test("parseJudgeBench: bad rows name file:line and the field", () => {
  const bad: [string, string][] = [
    [line({ ...good, question: "" }), 'jb.jsonl:1: field "question": expected a non-empty string'],
    [line({ ...good, response_B: 5 }), 'jb.jsonl:1: field "response_B": expected a string, got 5'],
    [line({ ...good, label: "A=B" }), 'jb.jsonl:1: field "label": expected one of "A>B", "B>A"'],
    [line({ ...good, label: undefined }), 'jb.jsonl:1: field "label": missing'],
    [line({ ...good, pair_id: 1.5 }), 'jb.jsonl:1: field "pair_id": expected a non-empty string'],
    [line({ ...good, source: 3 }), 'jb.jsonl:1: field "source"'],
    ["[1, 2]", "jb.jsonl:1: expected a JSON object"],
    [line(good) + "\n{oops", "jb.jsonl:2: invalid JSON"],
  ];
  for (const [text, message] of bad) {
    assertThrows(() => parseJudgeBench(text, "jb.jsonl"), DataError, message);
  }
});

Deno.test("readJudgeBench: a missing file is a DataError naming the path", async () => {
  await assertRejects(
    () => readJudgeBench("/nonexistent/jb.jsonl"),
    DataError,
    "/nonexistent/jb.jsonl: file not found",
  );
});
