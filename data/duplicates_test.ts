import { assertEquals, assertNotEquals } from "@std/assert";
import {
  describeDuplicates,
  dropDuplicatePairs,
  dropDuplicatesBy,
  dropOverlap,
  pairKey,
} from "./duplicates.ts";
import type { PreferencePair, Turn } from "./types.ts";

const user = (content: string): Turn => ({ role: "user", content });
const pair = (
  id: string,
  context: Turn[],
  chosen: string,
  rejected: string,
  extra: Partial<PreferencePair> = {},
): PreferencePair => ({ id, context, chosen, rejected, strength: 2, domain: "d", ...extra });

Deno.test("pairKey: same comparison whatever the side order, id, strength, domain or meta", () => {
  const a = pair("1", [user("q")], "yes", "no");
  assertEquals(pairKey(a), pairKey(pair("2", [user("q")], "no", "yes")));
  assertEquals(
    pairKey(a),
    pairKey(pair("3", [user("q")], "yes", "no", { strength: 3, domain: "e", meta: { x: 1 } })),
  );
  // Any difference in the context (role, content, turns) or a response is another comparison.
  assertNotEquals(pairKey(a), pairKey(pair("4", [user("q ")], "yes", "no")));
  assertNotEquals(pairKey(a), pairKey(pair("5", [{ role: "system", content: "q" }], "yes", "no")));
  assertNotEquals(pairKey(a), pairKey(pair("6", [user("q"), user("q")], "yes", "no")));
  assertNotEquals(pairKey(a), pairKey(pair("7", [user("q")], "yes", "No")));
  // Texts cannot run into each other: ["ab","c"] is not ["a","bc"].
  assertNotEquals(
    pairKey(pair("8", [user("q")], "ab", "c")),
    pairKey(pair("9", [user("q")], "a", "bc")),
  );
});

Deno.test("dropDuplicatePairs: triplicates keep the first, list each copy against it", () => {
  const q1 = [user("2+2?")], q2 = [user("capital of France?")];
  const pairs = [
    pair("f:1", q1, "4", "5"),
    pair("f:2", q2, "Paris", "Lyon"),
    pair("f:3", q1, "4", "5"),
    pair("f:4", q2, "Lyon", "Paris"), // swapped: contradicts f:2, still the same comparison
    pair("f:5", q1, "4", "5"),
    pair("f:6", q1, "4", "22"), // same prompt, another rejected response: kept
  ];
  const { kept, dropped } = dropDuplicatePairs(pairs);
  assertEquals(kept.map((p) => p.id), ["f:1", "f:2", "f:6"]);
  assertEquals(kept[0], pairs[0]); // the pair objects themselves, untouched
  assertEquals(dropped, [
    { id: "f:3", of: "f:1", index: 2, ofIndex: 0, swapped: false },
    { id: "f:4", of: "f:2", index: 3, ofIndex: 1, swapped: true },
    { id: "f:5", of: "f:1", index: 4, ofIndex: 0, swapped: false },
  ]);
  assertEquals(dropDuplicatePairs([]), { kept: [], dropped: [] });
  const distinct = [pairs[0], pairs[1], pairs[5]];
  assertEquals(dropDuplicatePairs(distinct), { kept: distinct, dropped: [] });
});

Deno.test("dropOverlap: held-out pairs also in training are dropped, repeats within held-out are not", () => {
  const train = [pair("t1", [user("a")], "x", "y"), pair("t2", [user("b")], "x", "y")];
  const heldOut = [
    pair("h1", [user("b")], "y", "x"), // t2 swapped
    pair("h2", [user("c")], "x", "y"),
    pair("h3", [user("c")], "x", "y"), // repeats h2, not a training pair: kept here
    pair("h4", [user("a")], "x", "y"), // t1
  ];
  const { kept, dropped } = dropOverlap(heldOut, train);
  assertEquals(kept.map((p) => p.id), ["h2", "h3"]);
  assertEquals(dropped, [
    { id: "h1", of: "t2", index: 0, ofIndex: 1, swapped: true },
    { id: "h4", of: "t1", index: 3, ofIndex: 0, swapped: false },
  ]);
  assertEquals(dropOverlap(heldOut, []).kept, heldOut);
});

Deno.test("dropDuplicatesBy: any key, e.g. whole RM-Bench rows", () => {
  const rows = [{ id: "q1", text: "a" }, { id: "q1", text: "a" }, { id: "q2", text: "b" }];
  const { kept, dropped } = dropDuplicatesBy(rows, { key: (r) => r.text, id: (r) => r.id });
  assertEquals(kept, [rows[0], rows[2]]);
  assertEquals(dropped, [{ id: "q1", of: "q1", index: 1, ofIndex: 0, swapped: false }]);
});

Deno.test("describeDuplicates: file lines, quoted ids, equal ids by position, the cap", () => {
  const d = (id: string, of: string, index: number, ofIndex: number, swapped = false) => ({
    id,
    of,
    index,
    ofIndex,
    swapped,
  });
  assertEquals(
    describeDuplicates([d("x.jsonl:3", "x.jsonl:1", 2, 0)], { source: "x.jsonl" }),
    "dropped 1 duplicate pair (line 3 repeats line 1)",
  );
  assertEquals(
    describeDuplicates([d("7", "7", 4, 0), d("x.jsonl:9", "x.jsonl:2", 8, 1, true)], {
      source: "x.jsonl",
      noun: "item",
    }),
    'dropped 2 duplicate items ("7" (#5) repeats "7" (#1), line 9 repeats line 2 with sides swapped)',
  );
  // `source:` followed by anything but digits is an id, not a line.
  assertEquals(
    describeDuplicates([d("x.jsonl:a", "x.jsonl:1", 1, 0)], { source: "x.jsonl" }),
    'dropped 1 duplicate pair ("x.jsonl:a" repeats line 1)',
  );
  const many = Array.from({ length: 7 }, (_, i) => d(`f:${i + 2}`, "f:1", i + 1, 0));
  assertEquals(
    describeDuplicates(many, { source: "f" }),
    "dropped 7 duplicate pairs (line 2 repeats line 1, line 3 repeats line 1, line 4 repeats " +
      "line 1, line 5 repeats line 1, line 6 repeats line 1; first 5 shown)",
  );
  assertEquals(describeDuplicates([]), "dropped 0 duplicate pairs");
});
