import { assertEquals, assertThrows } from "@std/assert";
import { checkScore, pairOutcome } from "./pair_decision.ts";

Deno.test("pairOutcome: golden table of wins, ties, losses and parse errors", () => {
  // [chosen, rejected, irpm, strict, tie, parseError]
  const table: [number | null, number | null, number, number, boolean, boolean][] = [
    [8, 6, 1, 1, false, false],
    [6, 8, 0, 0, false, false],
    [7, 7, 0.5, 0, true, false],
    [0, 0, 0.5, 0, true, false], // 0 is a valid score, not a parse error
    [0.5, 0, 1, 1, false, false],
    [null, 3, 0, 0, false, true],
    [3, null, 0, 0, false, true], // an unparseable rejected side still loses the pair
    [null, null, 0, 0, false, true], // never a tie
  ];
  for (const [c, r, irpm, strict, tie, parseError] of table) {
    assertEquals(pairOutcome(c, r), { irpm, strict, tie, parseError }, `${c} vs ${r}`);
  }
});

Deno.test("pairOutcome: strict never exceeds irpm and differs exactly on ties", () => {
  const values = [null, 0, 1, 2.5, 10];
  for (const c of values) {
    for (const r of values) {
      const o = pairOutcome(c, r);
      assertEquals(o.irpm - o.strict, o.tie ? 0.5 : 0, `${c} vs ${r}`);
    }
  }
});

Deno.test("pairOutcome/checkScore: bad scores throw TypeError naming the side", () => {
  assertThrows(() => pairOutcome(NaN, 3), TypeError, "chosenScore");
  assertThrows(() => pairOutcome(3, undefined as unknown as null), TypeError, "rejectedScore");
  assertThrows(() => pairOutcome("7" as unknown as number, 3), TypeError, "got 7");
  assertThrows(() => checkScore({}, "here"), TypeError, "here");
});
