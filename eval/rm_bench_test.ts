import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { levelAccuracy, rmBenchDomainGroup, rmBenchItemMatrix, rmBenchReport } from "./rm_bench.ts";
import { rmBenchPairs } from "../data/rm_bench.ts";

Deno.test("levelAccuracy: hand matrix with distinct cells", () => {
  const m = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]];
  const l = levelAccuracy(m);
  assertAlmostEquals(l.hard, (0.2 + 0.3 + 0.6) / 3, 1e-15); // upper triangle M01 M02 M12
  assertAlmostEquals(l.normal, (0.1 + 0.5 + 0.9) / 3, 1e-15); // diagonal
  assertAlmostEquals(l.easy, (0.4 + 0.7 + 0.8) / 3, 1e-15); // lower triangle M10 M20 M21
  assertAlmostEquals(l.avg, 4.5 / 9, 1e-15); // mean of all 9 cells
});

Deno.test("levelAccuracy: orientation agrees with data/rm_bench.ts levels", () => {
  const item = {
    id: "q",
    prompt: "p",
    domain: "chat",
    chosen: ["a", "b", "c"] as [string, string, string],
    rejected: ["x", "y", "z"] as [string, string, string],
  };
  for (const { i, j, level } of rmBenchPairs(item)) {
    const m = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    m[i][j] = 1; // chosen style i beats rejected style j, nothing else
    const l = levelAccuracy(m);
    assertEquals(l[level], 1 / 3, `cell (${i}, ${j}) is ${level}`);
  }
});

Deno.test("rmBenchItemMatrix: hand 3 x 3 with a tie", () => {
  // chosen 5 7 9 vs rejected 6 8 9:
  // row 0: 5>6 no, 5>8 no, 5>9 no   -> 0 0 0
  // row 1: 7>6 yes, 7>8 no, 7>9 no  -> 1 0 0
  // row 2: 9>6 yes, 9>8 yes, 9=9 tie -> 1 1 0.5 (strict 0)
  const m = rmBenchItemMatrix({ domain: "chat", chosen: [5, 7, 9], rejected: [6, 8, 9] });
  assertEquals(m.irpm, [[0, 0, 0], [1, 0, 0], [1, 1, 0.5]]);
  assertEquals(m.strict, [[0, 0, 0], [1, 0, 0], [1, 1, 0]]);
  assertEquals([m.ties, m.parseErrors], [1, 0]);
  const l = levelAccuracy(m.irpm);
  assertEquals([l.hard, l.normal, l.easy], [0, 0.5 / 3, 1]);
});

Deno.test("rmBenchReport: per domain group and overall as the mean over groups", () => {
  const report = rmBenchReport([
    { domain: "chat", chosen: [5, 7, 9], rejected: [6, 8, 9] }, // the matrix above
    { domain: "chat", chosen: [9, 9, 9], rejected: [1, 1, 1] }, // all 1
    { domain: "safety-refuse", chosen: [null, 5, 5], rejected: [4, 4, 4] }, // row 0 parse errors
    { domain: "safety-response", chosen: [2, 2, 2], rejected: [3, 3, 3] }, // all 0
  ]);
  assertEquals(Object.keys(report.byDomain), ["chat", "safety"]);
  const chat = report.byDomain.chat;
  // chat mean matrix irpm: [[.5 .5 .5] [1 .5 .5] [1 1 .75]]
  assertEquals(chat.matrix.irpm, [[0.5, 0.5, 0.5], [1, 0.5, 0.5], [1, 1, 0.75]]);
  // irpm: hard (.5+.5+.5)/3 = .5; normal (.5+.5+.75)/3 = 7/12; easy 1
  assertEquals([chat.irpm.hard, chat.irpm.easy], [0.5, 1]);
  assertAlmostEquals(chat.irpm.normal, 7 / 12, 1e-15);
  // strict: hard .5, normal (.5+.5+.5)/3 = .5, easy 1, avg 2/3
  assertEquals([chat.strict.hard, chat.strict.normal, chat.strict.easy], [0.5, 0.5, 1]);
  assertEquals([chat.n, chat.tieRate, chat.parseErrorRate], [2, 1 / 18, 0]);
  // safety = mean of [[0 0 0] [1 1 1] [1 1 1]] and zeros = [[0 0 0] [.5 .5 .5] [.5 .5 .5]]
  const safety = report.byDomain.safety;
  assertEquals(safety.matrix.strict, [[0, 0, 0], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]);
  // hard (0 + 0 + .5)/3 = 1/6; normal (0 + .5 + .5)/3 = 1/3; easy .5; parse errors 3 of 18
  assertAlmostEquals(safety.strict.hard, 1 / 6, 1e-15);
  assertAlmostEquals(safety.strict.normal, 1 / 3, 1e-15);
  assertEquals([safety.strict.easy, safety.parseErrorRate], [0.5, 1 / 6]);
  assertEquals(safety.irpm, safety.strict); // no ties in safety
  // overall strict: hard (.5 + 1/6)/2 = 1/3; normal (.5 + 1/3)/2 = 5/12; easy (1 + .5)/2 = .75;
  // avg = (2/3 + 1/3)/2 = .5
  const o = report.overall.strict;
  assertAlmostEquals(o.hard, 1 / 3, 1e-15);
  assertAlmostEquals(o.normal, 5 / 12, 1e-15);
  assertEquals(o.easy, 0.75);
  assertAlmostEquals(o.avg, 0.5, 1e-15);
  // overall irpm avg = (25/36 + 1/3)/2 = 37/72 (chat irpm avg = (.5 + 7/12 + 1)/3 = 25/36)
  assertAlmostEquals(report.overall.irpm.avg, 37 / 72, 1e-15);
  assertEquals(report.items.length, 4);
});

Deno.test("rmBenchReport: groups are averaged unweighted, not by item count", () => {
  const win = { chosen: [9, 9, 9], rejected: [1, 1, 1] };
  const loss = { chosen: [1, 1, 1], rejected: [9, 9, 9] };
  const report = rmBenchReport([
    { domain: "code", ...win },
    { domain: "code", ...win },
    { domain: "code", ...win },
    { domain: "math", ...loss },
  ]);
  assertEquals(report.overall.strict.avg, 0.5); // item-weighted would be 0.75
});

Deno.test("rmBenchDomainGroup and a custom grouping", () => {
  assertEquals(rmBenchDomainGroup("safety-response"), "safety");
  assertEquals(rmBenchDomainGroup("math"), "math");
  const report = rmBenchReport(
    [{ domain: "safety-refuse", chosen: [2, 2, 2], rejected: [1, 1, 1] }],
    { domainGroup: (d) => d },
  );
  assertEquals(Object.keys(report.byDomain), ["safety-refuse"]);
});

Deno.test("rm_bench: bad input", () => {
  assertThrows(() => levelAccuracy([[1, 2], [3, 4]]), RangeError, "3 x 3");
  assertThrows(
    () => rmBenchItemMatrix({ id: "q7", domain: "chat", chosen: [1, 2], rejected: [1, 2, 3] }),
    RangeError,
    "item q7",
  );
  assertThrows(
    () => rmBenchItemMatrix({ domain: "chat", chosen: [1, 2, NaN], rejected: [1, 2, 3] }),
    TypeError,
    "chosen[2]",
  );
  assertThrows(() => rmBenchReport([]), RangeError, "at least one");
  assertThrows(
    () => rmBenchReport([{ domain: "", chosen: [1, 1, 1], rejected: [1, 1, 1] }]),
    TypeError,
    "items[0].domain",
  );
});
