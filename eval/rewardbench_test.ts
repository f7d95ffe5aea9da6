import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  REWARDBENCH_EXAMPLE_COUNTS,
  REWARDBENCH_SECTIONS,
  rewardBenchReport,
  rewardBenchScore,
  sectionScores,
} from "./rewardbench.ts";

Deno.test("constants: 23 subsets, each in one section with a weight; math-prm = 6 hep subsets", () => {
  const listed = Object.values(REWARDBENCH_SECTIONS).flat();
  assertEquals(listed.length, 23);
  assertEquals(new Set(listed).size, 23);
  assertEquals(listed.toSorted(), Object.keys(REWARDBENCH_EXAMPLE_COUNTS).toSorted());
  const hep = REWARDBENCH_SECTIONS.Reasoning.filter((s) => s.startsWith("hep-"));
  assertEquals(hep.length, 6);
  assertEquals(
    REWARDBENCH_EXAMPLE_COUNTS["math-prm"],
    hep.reduce((a, s) => a + REWARDBENCH_EXAMPLE_COUNTS[s], 0),
  ); // 984 = 6 x 164
});

Deno.test("sectionScores: made-up 6-subset example", () => {
  const counts = { a: 10, b: 30, c: 60, d: 1, e: 3, f: 5 };
  const sections = { X: ["a", "b", "c"], Y: ["d", "e"], Z: ["f"] };
  const acc = { a: 0.5, b: 0.9, c: 0.7, d: 1, e: 0.6, f: 0.2 };
  const s = sectionScores(acc, { counts, sections });
  // X = (0.5*10 + 0.9*30 + 0.7*60) / 100 = (5 + 27 + 42) / 100 = 0.74
  // Y = (1*1 + 0.6*3) / 4 = 2.8 / 4 = 0.7;  Z = 0.2
  assertAlmostEquals(s.X, 0.74, 1e-15);
  assertAlmostEquals(s.Y, 0.7, 1e-15);
  assertEquals(s.Z, 0.2);
  // overall = (0.74 + 0.7 + 0.2) / 3 = 1.64 / 3
  assertAlmostEquals(rewardBenchScore(s), 1.64 / 3, 1e-15);
  // a missing subset is skipped and its weight leaves the denominator: X = (5 + 27) / 40 = 0.8
  const { c: _dropped, ...withoutC } = acc;
  assertAlmostEquals(sectionScores(withoutC, { counts, sections }).X, 0.8, 1e-15);
});

Deno.test("sectionScores: official Reasoning gives math-prm half the weight", () => {
  const acc: Record<string, number> = { "math-prm": 0.4 };
  for (const s of REWARDBENCH_SECTIONS.Reasoning.slice(1)) acc[s] = 0.9;
  // (0.4 * 984 + 0.9 * 6 * 164) / (984 + 984) = (0.4 + 0.9) / 2 = 0.65
  assertAlmostEquals(sectionScores(acc).Reasoning, 0.65, 1e-15);
  // with math-prm's real size (447) it would be (0.4*447 + 0.9*984) / 1431 = 0.7438...
  const real = sectionScores(acc, { counts: { ...REWARDBENCH_EXAMPLE_COUNTS, "math-prm": 447 } });
  assertAlmostEquals(real.Reasoning, (0.4 * 447 + 0.9 * 984) / 1431, 1e-15);
  // sections without any subset present are NaN, not 0
  assertEquals(Number.isNaN(sectionScores(acc).Chat), true);
});

Deno.test("rewardBenchReport: both conventions end to end on a made-up 6-subset example", () => {
  const W = (subset: string) => ({ subset, chosen: 9, rejected: 1 });
  const T = (subset: string) => ({ subset, chosen: 5, rejected: 5 });
  const L = (subset: string) => ({ subset, chosen: 1, rejected: 9 });
  const P = (subset: string) => ({ subset, chosen: null, rejected: 9 });
  const pairs = [
    W("a"),
    T("a"), // irpm 0.75, strict 0.5
    W("b"),
    W("b"),
    L("b"),
    T("b"), // irpm 2.5/4 = 0.625, strict 0.5
    T("c"), // irpm 0.5, strict 0
    W("d"),
    P("d"), // irpm 0.5, strict 0.5
    L("e"), // 0, 0
    W("f"), // 1, 1
    L("g"), // unmapped
  ];
  const counts = { a: 1, b: 3, c: 2, d: 2, e: 1, f: 1 };
  const sections = { X: ["a", "b"], Y: ["c", "d"], Z: ["e", "f"] };
  const report = rewardBenchReport(pairs, { counts, sections });
  // X irpm = (0.75*1 + 0.625*3) / 4 = 2.625 / 4 = 0.65625; strict = (0.5 + 1.5) / 4 = 0.5
  // Y irpm = (0.5*2 + 0.5*2) / 4 = 0.5;                     strict = (0 + 1) / 4 = 0.25
  // Z irpm = (0 + 1) / 2 = 0.5;                             strict = 0.5
  assertEquals(report.sections.irpm, { X: 0.65625, Y: 0.5, Z: 0.5 });
  assertEquals(report.sections.strict, { X: 0.5, Y: 0.25, Z: 0.5 });
  assertAlmostEquals(report.score.irpm, 1.65625 / 3, 1e-15); // 0.5520833
  assertAlmostEquals(report.score.strict, 1.25 / 3, 1e-15); // 0.4166667
  assertEquals(report.unmapped, ["g"]);
  assertEquals(report.subsets.d.parseErrorRate, 0.5);
  assertEquals(report.subsets.b.tieRate, 0.25);
});

Deno.test("rewardBenchReport: official map, a section without data makes the score NaN", () => {
  const report = rewardBenchReport([{ subset: "hep-go", chosen: 3, rejected: 2 }]);
  assertEquals(report.sections.irpm.Reasoning, 1);
  assertEquals(Number.isNaN(report.sections.irpm.Chat), true);
  assertEquals(Number.isNaN(report.score.irpm), true);
});

Deno.test("rewardBenchScore: prior sets at half weight", () => {
  // (2 * (1 + 0.5 + 0.5 + 1) + 0) / 9 = 6 / 9
  const s = { A: 1, B: 0.5, C: 0.5, D: 1 };
  assertAlmostEquals(rewardBenchScore(s, { priorSets: 0 }), 6 / 9, 1e-15);
  assertEquals(rewardBenchScore(s), 0.75);
});

Deno.test("rewardbench: bad input", () => {
  assertThrows(() => rewardBenchScore({}), RangeError, "no section");
  assertThrows(() => rewardBenchScore({ Chat: NaN }), RangeError, '"Chat"');
  assertThrows(() => rewardBenchScore({ Chat: 1 }, { priorSets: NaN }), RangeError, "priorSets");
  assertThrows(
    () => sectionScores({ x: 1 }, { sections: { S: ["x"] }, counts: {} }),
    RangeError,
    'subset "x"',
  );
  assertThrows(
    () => rewardBenchReport([{ chosen: 1, rejected: 0 }]),
    TypeError,
    "pairs[0].subset",
  );
});
