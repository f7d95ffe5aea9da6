import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { votingAccuracyTable, votingScore } from "./voting.ts";

Deno.test("votingScore: mean of the valid scores, null when none is valid", () => {
  assertEquals(votingScore([7, null, 8, 6]), 7); // 21 / 3, the null is dropped (not a 0)
  assertEquals(votingScore([0]), 0); // a valid 0 is a score
  assertEquals(votingScore([null]), null);
  assertEquals(votingScore([2.5, 3.5]), 3);
});

// Three pairs, four samples per side, worked by hand:
// p1 chosen 7 8 9 6 / rejected 7 7 7 7: k1 7 vs 7 tie; k2 7.5 vs 7 win; k4 7.5 vs 7 win
// p2 chosen - - 5 5 / rejected 6 - 4 4: k1 parse error; k2 parse error (chosen all null);
//                                         k4 5 vs 14/3 = 4.67 win
// p3 chosen 3 4 5 6 / rejected 5 5 5 5: k1 3 vs 5; k2 3.5 vs 5; k4 4.5 vs 5: loss every time
const PAIRS = [
  { chosen: [7, 8, 9, 6], rejected: [7, 7, 7, 7] },
  { chosen: [null, null, 5, 5], rejected: [6, null, 4, 4] },
  { chosen: [3, 4, 5, 6], rejected: [5, 5, 5, 5] },
];

Deno.test("votingAccuracyTable: golden rows for k = 1, 2, 4", () => {
  const rows = votingAccuracyTable(PAIRS, { ks: [1, 2, 4] });
  const view = rows.map((r) => [r.k, r.source, r.accuracy, r.strictAccuracy, r.tieRate]);
  assertEquals(view, [
    [1, "samples", 0.5 / 3, 0, 1 / 3], // tie 0.5 + parse 0 + loss 0
    [2, "samples", 1 / 3, 1 / 3, 0], // win + parse + loss
    [4, "samples", 2 / 3, 2 / 3, 0], // win + win + loss
  ]);
  assertEquals(rows.map((r) => r.parseErrorRate), [1 / 3, 1 / 3, 0]);
  assertEquals(rows.map((r) => r.n), [3, 3, 3]);
});

Deno.test("votingAccuracyTable: greedy scores replace the k = 1 row only", () => {
  // greedy: 8 vs 7 win, 6 vs 6 tie, null vs 1 parse error -> (1 + 0.5 + 0) / 3
  const greedy = [{ chosen: 8, rejected: 7 }, { chosen: 6, rejected: 6 }, {
    chosen: null,
    rejected: 1,
  }];
  const rows = votingAccuracyTable(PAIRS, { ks: [1, 2], greedy });
  assertEquals(rows[0].source, "greedy");
  assertAlmostEquals(rows[0].accuracy, 0.5, 1e-15);
  assertEquals([rows[0].strictAccuracy, rows[0].tieRate, rows[0].parseErrorRate], [
    1 / 3,
    1 / 3,
    1 / 3,
  ]);
  assertEquals([rows[1].source, rows[1].accuracy], ["samples", 1 / 3]);
});

Deno.test("votingAccuracyTable: default ks are 1, 2, 4, 8", () => {
  const pair = { chosen: [6, 6, 6, 6, 6, 6, 6, 9], rejected: [6, 6, 6, 6, 6, 6, 6, 6] };
  const rows = votingAccuracyTable([pair]);
  assertEquals(rows.map((r) => r.k), [1, 2, 4, 8]);
  // only the 8th sample breaks the tie: mean 51/8 = 6.375 > 6
  assertEquals(rows.map((r) => r.accuracy), [0.5, 0.5, 0.5, 1]);
});

Deno.test("votingAccuracyTable/votingScore: bad input", () => {
  assertThrows(() => votingScore([]), RangeError, "at least one");
  assertThrows(() => votingScore([1, NaN]), TypeError, "scores[1]");
  assertThrows(() => votingAccuracyTable(PAIRS, { ks: [8] }), RangeError, "pairs[0].chosen has 4");
  assertThrows(() => votingAccuracyTable(PAIRS, { ks: [0] }), RangeError, "got 0");
  assertThrows(() => votingAccuracyTable(PAIRS, { ks: [1.5] }), RangeError, "1.5");
  assertThrows(() => votingAccuracyTable([], { ks: [1] }), RangeError, "at least one");
  assertThrows(
    () => votingAccuracyTable(PAIRS, { ks: [1], greedy: [{ chosen: 1, rejected: 0 }] }),
    RangeError,
    "greedy has 1",
  );
});
