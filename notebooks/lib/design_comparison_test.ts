import { assertEquals, assertThrows } from "@std/assert";
import {
  compareDesigns,
  designBarSeries,
  marginLabel,
  rewardColumns,
} from "./design_comparison.ts";

// The notebook's example pair: chosen rollout 4 failed to parse (stand-in 0), strength 3.
const groups = { chosen: [8, 7, 6, null], rejected: [5, 7, 6, 4] };

Deno.test("mean and winrate rewards of the example pair, by hand", () => {
  const rows = compareDesigns(groups, { strength: 3, designs: ["mean", "winrate"] });
  const rewards = (design: string, margin: string) =>
    rows.filter((r) => r.design === design && r.margin === margin).map((r) => r.reward);
  // used chosen [8, 7, 6, 0]: mean 5.25; rejected [5, 7, 6, 4]: mean 5.5.
  // delta 0: chosen > 5.5 -> 1 1 1, and 0 fails: -1 - 0.5; rejected < 5.25 -> 5 yes, 7 no, 6 no, 4 yes
  assertEquals(rewards("mean", "delta=0"), [1, 1, 1, -1.5, 1, -1, -1, 1]);
  // adaptive delta = 3 - 2 = 1: chosen > 6.5 -> 8, 7; rejected < 4.25 -> only 4
  assertEquals(rewards("mean", "adaptive delta=1"), [1, 1, -1, -1.5, -1, -1, -1, 1]);
  // winrate ignores delta: 8 beats 4 of 4; 7 beats 5, 6, 4; 6 beats 5, 4; 0 beats none (-0.5 penalty)
  // rejected 5 is below 8, 7, 6; 7 below 8 only; 6 below 8, 7; 4 below 8, 7, 6
  const winrate = [1, 0.75, 0.5, -0.5, 0.75, 0.25, 0.5, 0.75];
  assertEquals(rewards("winrate", "delta=0"), winrate);
  assertEquals(rewards("winrate", "adaptive delta=1"), winrate);
  // the invalid chosen rollout enters as 0 in all 2 designs x 2 margins
  assertEquals(rows.filter((r) => r.parsed === null).map((r) => r.used), [0, 0, 0, 0]);
});

Deno.test("all five designs x two margins give 80 rows by default", () => {
  const rows = compareDesigns(groups, { strength: 3 });
  assertEquals(rows.length, 5 * 2 * 8);
  assertEquals(new Set(rows.map((r) => r.design)).size, 5);
});

Deno.test("rewardColumns and designBarSeries reshape the rows", () => {
  const rows = compareDesigns(groups, { strength: 3, designs: ["mean"], margins: [0] });
  assertEquals(rewardColumns(rows), {
    rollout: ["c1", "c2", "c3", "c4", "r1", "r2", "r3", "r4"],
    score: ["8", "7", "6", "invalid -> 0", "5", "7", "6", "4"],
    "mean delta=0": [1, 1, 1, -1.5, 1, -1, -1, 1],
  });
  assertEquals(designBarSeries(rows, "delta=0")[0].values, [1, 1, 1, -1.5, 1, -1, -1, 1]);
  assertThrows(() => designBarSeries(rows, "delta=9"), RangeError, '"delta=9"');
});

Deno.test("marginLabel and compareDesigns reject a bad strength", () => {
  assertEquals(marginLabel(0.5, 2), "delta=0.5");
  assertThrows(() => compareDesigns(groups, { strength: 4 }), RangeError, "strength");
});
