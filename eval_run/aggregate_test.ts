import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { pairOutcome } from "../eval/pair_decision.ts";
import { rewardBenchReport } from "../eval/rewardbench.ts";
import { rmBenchReport } from "../eval/rm_bench.ts";
import { createPrng } from "../rng/prng.ts";
import type { RmBenchLevel } from "../data/rm_bench.ts";
import { bothOrderFromScores, bothOrderPairOutcome, summarizeOutcomes } from "./aggregate.ts";

const row = (id: string, domain: string, c: number | null, r: number | null, subset?: string) => ({
  id,
  domain,
  subset,
  outcome: pairOutcome(c, r),
});

Deno.test("summarizeOutcomes: hand-worked accuracy, strict, ties, parse errors by domain", () => {
  const s = summarizeOutcomes([
    row("1", "arith", 9, 2), // win 1
    row("2", "arith", 4, 4), // tie 0.5 (strict 0)
    row("3", "arith", 1, 6), // loss 0
    row("4", "sort", null, 6), // parse error 0
    row("5", "sort", 7, 3), // win 1
  ]);
  // IRPM: (1 + 0.5 + 0 + 0 + 1) / 5 = 0.5; strict: 2 / 5; ties 1 / 5; parse errors 1 / 5
  assertEquals(
    [s.overall.accuracy, s.overall.strictAccuracy, s.overall.tieRate, s.overall.parseErrorRate],
    [0.5, 0.4, 0.2, 0.2],
  );
  assertEquals(s.byDomain.arith.accuracy, 0.5); // (1 + 0.5 + 0) / 3
  assertEquals(s.byDomain.sort.accuracy, 0.5); // (0 + 1) / 2
  assertEquals([s.rewardBench, s.rmBench], [undefined, undefined]);
  assertThrows(() => summarizeOutcomes([]), RangeError, "at least one row");
});

Deno.test("summarizeOutcomes: RewardBench section weighting, hand-worked and vs rewardBenchReport", () => {
  const scored = [
    { subset: "alpacaeval-easy", chosen: 8, rejected: 2 }, // win
    { subset: "alpacaeval-easy", chosen: 5, rejected: 5 }, // tie
    { subset: "mt-bench-easy", chosen: 1, rejected: 2 }, // loss
    { subset: "math-prm", chosen: 9, rejected: 1 }, // win
    { subset: "hep-go", chosen: null, rejected: 1 }, // parse error
  ];
  const rb = summarizeOutcomes(
    scored.map((p, i) => row(String(i), p.subset, p.chosen, p.rejected, p.subset)),
  ).rewardBench!;
  // Chat: alpacaeval-easy (weight 100) 0.75 and mt-bench-easy (weight 28) 0 -> 75 / 128
  assertAlmostEquals(rb.sections.irpm.Chat, 75 / 128, 1e-15);
  assertAlmostEquals(rb.sections.strict.Chat, 50 / 128, 1e-15);
  // Reasoning: math-prm weighs 984 (upweighted), hep-go 164 -> 984 / 1148
  assertAlmostEquals(rb.sections.irpm.Reasoning, 984 / 1148, 1e-15);
  assert(Number.isNaN(rb.sections.irpm.Safety) && Number.isNaN(rb.score.irpm)); // no Safety data
  const reference = rewardBenchReport(scored);
  assertEquals(rb.sections, reference.sections);
});

Deno.test("summarizeOutcomes: RM-Bench levels by hand and equal to rmBenchReport on scores", () => {
  // chosen [6, 7, 8] vs rejected [5, 7, null]: M = [[1, 0, 0], [1, .5, 0], [1, 1, 0]]
  const levelOf = (i: number, j: number): RmBenchLevel =>
    i < j ? "hard" : i === j ? "normal" : "easy";
  const itemRows = (id: string, domain: string, c: (number | null)[], r: (number | null)[]) =>
    c.flatMap((ci, i) =>
      r.map((rj, j) => ({
        id: `${id}:${i}-${j}`,
        domain,
        level: levelOf(i, j),
        outcome: pairOutcome(ci, rj),
      }))
    );
  const one = summarizeOutcomes(itemRows("q", "chat", [6, 7, 8], [5, 7, null])).rmBench!;
  assertEquals(one.byDomain.chat.irpm, { hard: 0, normal: 0.5, easy: 1, avg: 0.5 });
  assertAlmostEquals(one.byDomain.chat.strict.normal, 1 / 3, 1e-15);
  assertEquals(one.byDomain.chat.tieRate, 1 / 9);
  // Simulation: random items with ties and nulls; the row path must equal the 3 x 3 matrix path.
  const rng = createPrng(4);
  const draw = () => (rng.next() < 0.1 ? null : rng.int(4));
  const items = Array.from({ length: 40 }, (_, n) => ({
    id: `i${n}`,
    domain: ["chat", "math", "safety-refuse", "safety-response", "code"][n % 5],
    chosen: [draw(), draw(), draw()],
    rejected: [draw(), draw(), draw()],
  }));
  const ours = summarizeOutcomes(
    items.flatMap((it) => itemRows(it.id, it.domain, it.chosen, it.rejected)),
  ).rmBench!;
  const reference = rmBenchReport(items);
  for (const g of Object.keys(reference.byDomain)) {
    for (const c of ["irpm", "strict"] as const) {
      for (const level of ["hard", "normal", "easy", "avg"] as const) {
        assertAlmostEquals(ours.byDomain[g][c][level], reference.byDomain[g][c][level], 1e-12);
      }
    }
    assertAlmostEquals(ours.byDomain[g].tieRate, reference.byDomain[g].tieRate, 1e-12);
  }
  assertAlmostEquals(ours.overall.strict.avg, reference.overall.strict.avg, 1e-12);
  assertEquals(Object.keys(ours.byDomain), ["chat", "code", "math", "safety"]);
});

Deno.test("bothOrderPairOutcome: every both-order case under both conventions", () => {
  const cases = [
    [{ forward: "A>B", swapped: "B>A" }, 1, 1, false, false], // both right
    [{ forward: "B>A", swapped: "A>B" }, 0, 0, false, false], // both wrong
    [{ forward: "A>B", swapped: "A>B" }, 0.5, 0, true, false], // always picks the first: position bias
    [{ forward: "B>A", swapped: "B>A" }, 0.5, 0, true, false], // always picks the second
    [{ forward: null, swapped: "B>A" }, 0, 0, false, true], // missing verdict: parse error
    [{ forward: "B>A", swapped: "A>B", label: "B>A" }, 1, 1, false, false], // label B>A: right
  ] as const;
  for (const [judgment, irpm, strict, tie, parseError] of cases) {
    assertEquals(
      bothOrderPairOutcome(judgment),
      { irpm, strict, tie, parseError },
      JSON.stringify(judgment),
    );
  }
});

Deno.test("bothOrderFromScores: pointwise scores are order-consistent; a tie is A=B both ways", () => {
  assertEquals(bothOrderPairOutcome(bothOrderFromScores(7, 3)).strict, 1);
  assertEquals(bothOrderPairOutcome(bothOrderFromScores(7, 3, false)).strict, 1);
  assertEquals(bothOrderPairOutcome(bothOrderFromScores(5, 5)), {
    irpm: 0.5,
    strict: 0,
    tie: true,
    parseError: false,
  });
});
