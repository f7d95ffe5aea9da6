import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { binomialSe, pairwiseAccuracy, summarize } from "./accuracy.ts";

// Eight pairs, worked by hand (irpm / strict):
// 1 A s1  8 vs 6     win    1   / 1
// 2 A s1  7 vs 7     tie    0.5 / 0
// 3 A s2  null vs 2  parse  0   / 0
// 4 B s2  9 vs 3     win    1   / 1
// 5 B     4 vs 5     loss   0   / 0
// 6 B     6 vs 6     tie    0.5 / 0
// 7 -     10 vs 0    win    1   / 1
// 8 B     3 vs null  parse  0   / 0
const PAIRS = [
  { chosen: 8, rejected: 6, domain: "A", subset: "s1" },
  { chosen: 7, rejected: 7, domain: "A", subset: "s1" },
  { chosen: null, rejected: 2, domain: "A", subset: "s2" },
  { chosen: 9, rejected: 3, domain: "B", subset: "s2" },
  { chosen: 4, rejected: 5, domain: "B" },
  { chosen: 6, rejected: 6, domain: "B" },
  { chosen: 10, rejected: 0 },
  { chosen: 3, rejected: null, domain: "B" },
];

Deno.test("pairwiseAccuracy: overall golden numbers", () => {
  const { overall } = pairwiseAccuracy(PAIRS);
  // irpm sum = 1 + 0.5 + 0 + 1 + 0 + 0.5 + 1 + 0 = 4 -> 4/8; strict = 3/8
  assertEquals(overall.n, 8);
  assertEquals(overall.accuracy, 0.5);
  assertEquals(overall.strictAccuracy, 0.375);
  assertEquals([overall.ties, overall.tieRate], [2, 0.25]);
  assertEquals([overall.parseErrors, overall.parseErrorRate], [2, 0.25]);
  // se = sqrt(0.5 * 0.5 / 8) = sqrt(1/32) = 0.1767766953; strict sqrt(0.375 * 0.625 / 8)
  assertAlmostEquals(overall.accuracySe, 0.1767766952966369, 1e-15);
  assertAlmostEquals(overall.strictAccuracySe, Math.sqrt(0.029296875), 1e-15); // 0.17116...
});

Deno.test("pairwiseAccuracy: by domain and by subset; pairs without a key are left out", () => {
  const { byDomain, bySubset } = pairwiseAccuracy(PAIRS);
  assertEquals(Object.keys(byDomain), ["A", "B"]);
  // A: items 1-3: (1 + 0.5 + 0) / 3; strict 1/3
  assertEquals(byDomain.A.n, 3);
  assertAlmostEquals(byDomain.A.accuracy, 0.5, 1e-15);
  assertAlmostEquals(byDomain.A.strictAccuracy, 1 / 3, 1e-15);
  // B: items 4, 5, 6, 8: (1 + 0 + 0.5 + 0) / 4 = 0.375; strict 1/4; 1 tie, 1 parse error
  assertEquals(
    [byDomain.B.n, byDomain.B.accuracy, byDomain.B.strictAccuracy, byDomain.B.tieRate],
    [4, 0.375, 0.25, 0.25],
  );
  assertEquals(byDomain.B.parseErrorRate, 0.25);
  // s1: items 1, 2 -> 0.75; s2: items 3, 4 -> 0.5
  assertEquals([bySubset.s1.accuracy, bySubset.s2.accuracy], [0.75, 0.5]);
});

Deno.test("pairwiseAccuracy: every number traces back to the per-item outcomes", () => {
  const report = pairwiseAccuracy(PAIRS);
  assertEquals(report.items.map((o) => o.index), [0, 1, 2, 3, 4, 5, 6, 7]);
  assertEquals(report.items[1], {
    chosen: 7,
    rejected: 7,
    domain: "A",
    subset: "s1",
    index: 1,
    irpm: 0.5,
    strict: 0,
    tie: true,
    parseError: false,
  });
  const bDomain = report.items.filter((o) => o.domain === "B");
  assertEquals(
    bDomain.reduce((a, o) => a + o.irpm, 0) / bDomain.length,
    report.byDomain.B.accuracy,
  );
});

Deno.test("binomialSe: hand values and the conservative bound with ties", () => {
  assertEquals(binomialSe(0, 10), 0);
  assertEquals(binomialSe(0.5, 4), 0.25); // sqrt(0.25 / 4)
  // Plug-in SE of the irpm outcomes of PAIRS: values 1,0.5,0,1,0,0.5,1,0; mean 0.5;
  // E[X^2] = (3 + 2 * 0.25) / 8 = 0.4375; Var = 0.4375 - 0.25 = 0.1875 <= p(1-p) = 0.25.
  const plugIn = Math.sqrt(0.1875 / 8);
  const { overall } = pairwiseAccuracy(PAIRS);
  assertAlmostEquals(plugIn, 0.15309310892394862, 1e-15);
  assertEquals(overall.accuracySe > plugIn, true);
});

Deno.test("summarize/pairwiseAccuracy/binomialSe: bad input", () => {
  assertThrows(() => summarize([]), RangeError, "got 0");
  assertThrows(() => pairwiseAccuracy([]), RangeError, "at least one");
  assertThrows(
    () => pairwiseAccuracy([{ chosen: 1, rejected: 2 }, { chosen: NaN, rejected: 2 }]),
    TypeError,
    "items[1]",
  );
  assertThrows(() => pairwiseAccuracy([null as unknown as { chosen: 1; rejected: 1 }]), TypeError);
  assertThrows(() => binomialSe(0.5, 0), RangeError, "n must be");
  assertThrows(() => binomialSe(1.5, 3), RangeError, "1.5");
});
