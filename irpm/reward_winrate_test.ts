import { assertEquals, assertThrows } from "@std/assert";
import { winrateReward } from "./reward_winrate.ts";

Deno.test("winrate design: golden fractions for [7, 8, 6, 9] vs [5, 6, 7, 4], ties lose", () => {
  const scores = { chosen: [7, 8, 6, 9], rejected: [5, 6, 7, 4] };
  // chosen 7 beats 5 6 4 (7 = 7 no) -> 3/4; 8 beats all -> 1; 6 beats 5 4 (6 = 6 no) -> 2/4; 9 -> 1
  // rejected 5 is below 7 8 6 9 -> 1; 6 below 7 8 9 -> 3/4; 7 below 8 9 -> 2/4; 4 -> 1
  assertEquals(winrateReward(scores, { margin: 0 }), {
    chosen: [0.75, 1, 0.5, 1],
    rejected: [1, 0.75, 0.5, 1],
  });
  // The margin is ignored.
  assertEquals(winrateReward(scores, { margin: 1 }), winrateReward(scores, { margin: 0 }));
});

Deno.test("winrate design: unequal group sizes divide by the other group's size; G = 1", () => {
  // chosen 5 beats only 4 of [4, 5, 6] -> 1/3; rejected 4 < 5 -> 1, 5 -> 0, 6 -> 0
  assertEquals(winrateReward({ chosen: [5], rejected: [4, 5, 6] }, { margin: 0 }), {
    chosen: [1 / 3],
    rejected: [1, 0, 0],
  });
  assertEquals(winrateReward({ chosen: [5], rejected: [5] }, { margin: 0 }), {
    chosen: [0],
    rejected: [0],
  });
});

Deno.test("winrate design rejects non-number scores", () => {
  assertThrows(
    () => winrateReward({ chosen: ["7" as unknown as number], rejected: [5] }, { margin: 0 }),
    RangeError,
    "scores.chosen[0]",
  );
});
