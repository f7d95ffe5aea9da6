import { assertEquals, assertThrows } from "@std/assert";
import { DataError } from "./jsonl.ts";
import { parsePairwise, readPairwise } from "./pairwise_jsonl.ts";

Deno.test("pairwise sample: ids, domains and strength by hand", async () => {
  const path = new URL("./samples/pairwise_sample.jsonl", import.meta.url);
  const pairs = await readPairwise(path);
  assertEquals(pairs.length, 3);
  // line 1: integer id + subset; line 2: string id, no subset; line 3: neither
  assertEquals(pairs[0].id, "101");
  assertEquals(pairs[1].id, "chat-7");
  assertEquals(pairs[2].id, `${path.pathname}:3`);
  assertEquals(pairs.map((p) => p.domain), ["math-prm", "default", "default"]);
  assertEquals(pairs.map((p) => p.strength), [2, 2, 2]);
  assertEquals(pairs[1].context, [{ role: "user", content: "Write a haiku about rain." }]);
  assertEquals(pairs[0].chosen, "4");
  const strong = parsePairwise(await Deno.readTextFile(path), "p.jsonl", { strength: 3 });
  assertEquals(strong.map((p) => p.strength), [3, 3, 3]);
});

Deno.test("pairwise bad input names file, line and field", () => {
  const ok = '{"prompt":"p","chosen":"a","rejected":"b"}';
  assertThrows(
    () => parsePairwise(`${ok}\n{"prompt":"p","chosen":"a"}`, "rb.jsonl"),
    DataError,
    'rb.jsonl:2: field "rejected": missing (expected a string)',
  );
  assertThrows(
    () => parsePairwise('{"prompt":"p","chosen":"a","rejected":"b","id":1.5}', "rb.jsonl"),
    DataError,
    'rb.jsonl:1: field "id": expected a non-empty string or an integer, got 1.5',
  );
  assertThrows(
    () => parsePairwise('{"prompt":"p","chosen":["a"],"rejected":"b"}', "rb.jsonl"),
    DataError,
    'rb.jsonl:1: field "chosen": expected a string, got ["a"]',
  );
  assertThrows(
    () => parsePairwise(`${ok}\n\n{oops}`, "rb.jsonl"),
    DataError,
    "rb.jsonl:3: invalid JSON",
  );
  assertThrows(() => parsePairwise(ok, "rb.jsonl", { strength: 2.5 }), RangeError, "got 2.5");
});
