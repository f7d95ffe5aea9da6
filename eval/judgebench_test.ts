import { assertEquals, assertThrows } from "@std/assert";
import {
  bothOrderOutcome,
  flipVerdict,
  judgeBenchAccuracy,
  type Verdict,
  verdictFromScores,
} from "./judgebench.ts";

type V = Verdict | null;

Deno.test("bothOrderOutcome: all 16 verdict combinations, label A>B (worked by hand)", () => {
  // forward, swapped (in the swapped frame) -> counter, correct, bothCorrect, inconsistent
  const table: [V, V, number, boolean, boolean, boolean][] = [
    ["A>B", "A>B", 0, false, false, true], // position bias: always "first is better"
    ["A>B", "B>A", 2, true, true, false],
    ["A>B", "A=B", 1, true, false, true], // one right + one tie: correct in JudgeBench
    ["A>B", null, 1, true, false, true], // one right + one missing: correct in JudgeBench
    ["B>A", "A>B", -2, false, false, false],
    ["B>A", "B>A", 0, false, false, true],
    ["B>A", "A=B", -1, false, false, true],
    ["B>A", null, -1, false, false, true],
    ["A=B", "A>B", -1, false, false, true],
    ["A=B", "B>A", 1, true, false, true],
    ["A=B", "A=B", 0, false, false, false],
    ["A=B", null, 0, false, false, true],
    [null, "A>B", -1, false, false, true],
    [null, "B>A", 1, true, false, true],
    [null, "A=B", 0, false, false, true],
    [null, null, 0, false, false, false],
  ];
  for (const [forward, swapped, counter, correct, bothCorrect, inconsistent] of table) {
    const o = bothOrderOutcome({ forward, swapped });
    assertEquals(
      [o.counter, o.correct, o.bothCorrect, o.inconsistent, o.incorrect],
      [counter, correct, bothCorrect, inconsistent, counter < 0],
      `${forward} / ${swapped}`,
    );
    assertEquals(o.missing, forward === null || swapped === null);
  }
});

Deno.test("bothOrderOutcome: label B>A mirrors the frame", () => {
  const o = bothOrderOutcome({ forward: "B>A", swapped: "A>B", label: "B>A" });
  assertEquals([o.counter, o.bothCorrect, o.decisions], [2, true, ["B>A", "B>A"]]);
});

Deno.test("judgeBenchAccuracy: rates on a hand set", () => {
  const r = judgeBenchAccuracy([
    { forward: "A>B", swapped: "B>A" }, // counter 2, both correct
    { forward: "A>B", swapped: "A=B" }, // counter 1, correct, inconsistent
    { forward: "A>B", swapped: "A>B" }, // counter 0, inconsistent
    { forward: "A=B", swapped: "A=B" }, // counter 0, consistent
    { forward: null, swapped: "A>B" }, // counter -1, inconsistent, missing
  ]);
  assertEquals(r.n, 5);
  assertEquals(r.accuracy, 2 / 5);
  assertEquals(r.strictAccuracy, 1 / 5);
  assertEquals(r.incorrectRate, 1 / 5);
  assertEquals(r.tieRate, 2 / 5);
  assertEquals(r.inconsistencyRate, 3 / 5);
  assertEquals(r.missingRate, 1 / 5);
  assertEquals(r.items[1].decisions, ["A>B", "A=B"]);
});

Deno.test("verdictFromScores: JudgeBench's scalar-RM tie rule makes a score tie not correct", () => {
  // scalar RM code: 'A>B' if score_A > score_B else 'B>A'; both orders see a 5-5 tie
  const tieAs = "B>A" as const;
  const forward = verdictFromScores(5, 5, { tieAs });
  const swapped = verdictFromScores(5, 5, { tieAs });
  const o = bothOrderOutcome({ forward, swapped });
  assertEquals([o.counter, o.correct, o.inconsistent], [0, false, true]);
  // with the default "A=B" the tie is still not correct, but the judge is consistent
  const t = bothOrderOutcome({
    forward: verdictFromScores(5, 5),
    swapped: verdictFromScores(5, 5),
  });
  assertEquals([t.counter, t.correct, t.inconsistent], [0, false, false]);
});

Deno.test("pointwise scores are order-free: both-order agrees with the one-order decision", () => {
  const scores = [null, 0, 3, 3.5, 10];
  for (const c of scores) {
    for (const r of scores) {
      const o = bothOrderOutcome({
        forward: verdictFromScores(c, r),
        swapped: verdictFromScores(r, c),
      });
      assertEquals(o.inconsistent, false, `${c} vs ${r}`);
      const oneOrderCorrect = c !== null && r !== null && c > r;
      assertEquals(o.correct, oneOrderCorrect, `${c} vs ${r}`);
      assertEquals(o.bothCorrect, oneOrderCorrect, `${c} vs ${r}`);
    }
  }
});

Deno.test("flipVerdict is an involution", () => {
  for (const v of ["A>B", "B>A", "A=B", null] as V[]) assertEquals(flipVerdict(flipVerdict(v)), v);
});

Deno.test("judgebench: bad input", () => {
  assertThrows(() => judgeBenchAccuracy([]), RangeError, "at least one");
  assertThrows(
    () => judgeBenchAccuracy([{ forward: "A>B", swapped: "A<B" as Verdict }]),
    TypeError,
    "pairs[0]",
  );
  assertThrows(
    () => bothOrderOutcome({ forward: "A>B", swapped: "B>A", label: "A=B" as "A>B" }),
    TypeError,
    "label",
  );
  assertThrows(() => verdictFromScores(NaN, 1), TypeError, "scoreA");
  assertThrows(() => flipVerdict("A>>B" as Verdict), TypeError, "A>>B");
});
