import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { helpSteer3Pairs, parseHelpSteer3, readHelpSteer3 } from "./helpsteer3.ts";
import { DataError } from "./jsonl.ts";

const SAMPLE = new URL("./samples/helpsteer3_sample.jsonl", import.meta.url);
const sampleRows = async () => parseHelpSteer3(await Deno.readTextFile(SAMPLE), "hs3.jsonl");

// The 11 hand-written rows, by line: 1 general p=-2; 2 stem p=3; 3 code tie; 4 general p=1;
// 5 stem p=-1; 6 multilingual 3 turns p=-3; 7 general assistant-last p=2; 8 stem 3 turns p=2;
// 9 code p=-2; 10 general system+user p=-3; 11 general assistant-last p=1.

Deno.test("HelpSteer3 sample, default filters: 6 kept, 4 weak/tie, 1 assistant-last", async () => {
  const { pairs, counts } = await readHelpSteer3(SAMPLE);
  assertEquals(counts, {
    read: 11,
    kept: 6,
    dropped: { weak_or_tie: 4, not_user_last: 1, domain: 0 },
  });
  assertEquals(pairs.map((p) => p.id.split(":").pop()), ["1", "2", "6", "8", "9", "10"]);
  assertEquals(pairs.map((p) => p.strength), [2, 3, 3, 2, 2, 3]);
  // line 1: p = -2 -> response1 chosen; line 2: p = +3 -> response2 chosen
  assertEquals(pairs[0].chosen, "The capital of Australia is Canberra.");
  assertEquals(pairs[1].chosen, "d/dx x^3 = 3x^2 by the power rule.");
  assertEquals(pairs[1].rejected, "The derivative is x^2.");
  assertEquals(pairs[2].context.length, 3);
  assertEquals(pairs[2].meta, { language: "german" });
  assertEquals(pairs[5].context[0], { role: "system", content: "You are a concise assistant." });
});

Deno.test("HelpSteer3 filters are switchable one by one", async () => {
  const rows = await sampleRows();
  const all = helpSteer3Pairs(rows, { minStrength: 0, requireUserLast: false });
  assertEquals(all.counts.kept, 11);
  // minStrength 1 drops only the tie (line 3); lines 7 and 11 end on the assistant
  assertEquals(helpSteer3Pairs(rows, { minStrength: 1 }).counts, {
    read: 11,
    kept: 8,
    dropped: { weak_or_tie: 1, not_user_last: 2, domain: 0 },
  });
  // domain filter counts only rows that passed the earlier filters: lines 1, 2, 6, 8, 10
  assertEquals(helpSteer3Pairs(rows, { domains: ["code"] }).counts, {
    read: 11,
    kept: 1,
    dropped: { weak_or_tie: 4, not_user_last: 1, domain: 5 },
  });
  assertThrows(() => helpSteer3Pairs(rows, { minStrength: 4 }), RangeError, "got 4");
});

Deno.test("HelpSteer3 tie: kept only with minStrength 0, response1 chosen, strength 0, meta.tie", async () => {
  const { pairs } = helpSteer3Pairs(await sampleRows(), { minStrength: 0 });
  const tie = pairs.find((p) => p.id === "hs3.jsonl:3")!;
  assertEquals(tie.chosen, "xs[::-1]");
  assertEquals(tie.rejected, "list(reversed(xs))");
  assertEquals(tie.strength, 0);
  assertEquals(tie.meta, { language: "python", tie: true });
  assert(pairs.filter((p) => p.meta?.tie).length === 1);
});

const ROW = {
  domain: "general",
  context: [{ role: "user", content: "q" }],
  response1: "a",
  response2: "b",
  overall_preference: -2,
};
const line = (patch: Record<string, unknown>) => JSON.stringify({ ...ROW, ...patch });

Deno.test("HelpSteer3 bad input: each error names file, line and field", () => {
  const good = line({});
  const cases: [string, string][] = [
    [`${good}\n{"domain":`, "bad.jsonl:2: invalid JSON"],
    [`${good}\n\n${line({ response2: undefined })}`, 'bad.jsonl:3: field "response2": missing'],
    [
      line({ overall_preference: 5 }),
      'bad.jsonl:1: field "overall_preference": expected an integer in -3..3, got 5',
    ],
    [
      line({ overall_preference: 1.5 }),
      'bad.jsonl:1: field "overall_preference": expected an integer in -3..3, got 1.5',
    ],
    [
      line({ overall_preference: "2" }),
      'field "overall_preference": expected an integer in -3..3, got "2"',
    ],
    [
      line({ context: [{ role: "user", content: "x" }, { role: "bot", content: "y" }] }),
      'bad.jsonl:1: field "context[1].role": expected one of "user", "assistant", "system", got "bot"',
    ],
    [
      line({ context: [{ role: "user", content: 3 }] }),
      'field "context[0].content": expected a string, got 3',
    ],
    [line({ context: [] }), 'field "context": expected an array of at least 1 items, got 0 items'],
    [line({ context: "hi" }), 'field "context": expected an array, got "hi"'],
    [line({ domain: "" }), 'field "domain": expected a non-empty string'],
    [line({ language: 7 }), 'field "language": expected a string, got 7'],
    ["[1,2]", "bad.jsonl:1: expected a JSON object, got [1,2]"],
  ];
  for (const [text, message] of cases) {
    assertThrows(() => parseHelpSteer3(text, "bad.jsonl"), DataError, message);
  }
  const error = assertThrows(
    () => parseHelpSteer3(`${good}\n${line({ overall_preference: 7 })}`, "data/x.jsonl"),
    DataError,
  );
  assertEquals(
    [error.message, error.source, error.line, error.field],
    [
      'data/x.jsonl:2: field "overall_preference": expected an integer in -3..3, got 7',
      "data/x.jsonl",
      2,
      "overall_preference",
    ],
  );
});

Deno.test("HelpSteer3: nothing half-loaded, the first bad line is reported", async () => {
  const text = [line({}), line({ response1: 1 }), line({ response2: 2 })].join("\n");
  assertThrows(() => parseHelpSteer3(text, "h.jsonl"), DataError, 'h.jsonl:2: field "response1"');
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/h.jsonl`, text);
    await assertRejects(() => readHelpSteer3(`${dir}/h.jsonl`), DataError, `${dir}/h.jsonl:2:`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("HelpSteer3: own string id wins over file:line; extra fields ignored", () => {
  const rows = parseHelpSteer3(line({ id: "r-9", individual_preference: [{ score: 1 }] }), "h");
  assertEquals(rows[0].id, "r-9");
  assertEquals(Object.keys(rows[0]).sort(), [
    "context",
    "domain",
    "id",
    "overall_preference",
    "response1",
    "response2",
  ]);
});
