import { assertAlmostEquals, assertEquals } from "@std/assert";
import { preferenceReward } from "./reward_preference.ts";

// sigmoid values (1 / (1 + e^-x)):
// s(-1) 0.2689414214, s(0) 0.5, s(1) 0.7310585786, s(2) 0.8807970780, s(3) 0.9525741268,
// s(4) 0.9820137900, s(5) 0.9933071491
const s = [0.2689414213699951, 0.5, 0.7310585786300049, 0.8807970779778823, 0.9525741268224334];
const [sm1, s0, s1, s2, s3] = s;
const s4 = 0.9820137900379085;
const s5 = 0.9933071490757153;

Deno.test("preference design: marginal credits for [7, 8, 6, 9] vs [5, 6, 7, 4]", () => {
  const scores = { chosen: [7, 8, 6, 9], rejected: [5, 6, 7, 4] };
  const { chosen, rejected } = preferenceReward(scores, { margin: 0 });
  // chosen 7: diffs 2 1 0 3 -> (0.8807970780 + 0.7310585786 + 0.5 + 0.9525741268) / 4 = 0.7661074459
  // chosen 8: diffs 3 2 1 4 -> 0.8866108934;  chosen 6: 1 0 -1 2 -> 0.5951992695;
  // chosen 9: diffs 4 3 2 5 -> 0.9521730360
  const expectedChosen = [
    (s2 + s1 + s0 + s3) / 4,
    (s3 + s2 + s1 + s4) / 4,
    (s1 + s0 + sm1 + s2) / 4,
    (s4 + s3 + s2 + s5) / 4,
  ];
  assertAlmostEquals(expectedChosen[0], 0.7661074458575802, 1e-15);
  // rejected 5: c - 5 = 2 3 1 4 -> same set as chosen 8; 6: 1 2 0 3 (= chosen 7);
  // 7: 0 1 -1 2 (= chosen 6); 4: 3 4 2 5 (= chosen 9)
  const expectedRejected = [
    expectedChosen[1],
    expectedChosen[0],
    expectedChosen[2],
    expectedChosen[3],
  ];
  chosen.forEach((v, i) => assertAlmostEquals(v, expectedChosen[i], 1e-15));
  rejected.forEach((v, i) => assertAlmostEquals(v, expectedRejected[i], 1e-15));
});

Deno.test("preference design ignores the margin and handles G = 1", () => {
  const scores = { chosen: [7, 8, 6, 9], rejected: [5, 6, 7, 4] };
  assertEquals(preferenceReward(scores, { margin: 1 }), preferenceReward(scores, { margin: 0 }));
  // G = 1: one pair, sigmoid(1 - 0) on both sides.
  const single = preferenceReward({ chosen: [1], rejected: [0] }, { margin: 0 });
  assertAlmostEquals(single.chosen[0], s1, 1e-15);
  assertAlmostEquals(single.rejected[0], s1, 1e-15);
  // Equal scores give exactly 0.5 to both.
  assertEquals(preferenceReward({ chosen: [5], rejected: [5] }, { margin: 0 }), {
    chosen: [0.5],
    rejected: [0.5],
  });
});
