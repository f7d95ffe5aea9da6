import { assert, assertAlmostEquals } from "@std/assert";
import { preferenceReward } from "./reward_preference.ts";
import { preferenceCappedReward, preferenceVarianceReward } from "./reward_preference_fixes.ts";

// sigmoid(1) 0.7310585786, sigmoid(2) 0.8807970780, sigmoid(-1) 0.2689414214
const s1 = 0.7310585786300049, s2 = 0.8807970779778823, sm1 = 0.2689414213699951;

Deno.test("preference-capped: golden numbers for [9, 5] vs [4, 6]; gaps past 2 earn no more", () => {
  const { chosen, rejected } = preferenceCappedReward(
    { chosen: [9, 5], rejected: [4, 6] },
    { margin: 0 },
  );
  // chosen 9: gaps 5 3 -> both capped at 2: s2;  chosen 5: gaps 1 -1 -> (s1 + s(-1)) / 2 = 0.5
  assertAlmostEquals(chosen[0], s2, 1e-15);
  assertAlmostEquals(chosen[1], (s1 + sm1) / 2, 1e-15);
  // rejected 4: gaps 5 1 -> (s2 + s1) / 2;  rejected 6: gaps 3 -1 -> (s2 + s(-1)) / 2
  assertAlmostEquals(rejected[0], (s2 + s1) / 2, 1e-15);
  assertAlmostEquals(rejected[1], (s2 + sm1) / 2, 1e-15);
  // the uncapped design pays the chosen 9 more than the capped one: the incentive removed
  assert(preferenceReward({ chosen: [9, 5], rejected: [4, 6] }, { margin: 0 }).chosen[0] > s2);
});

Deno.test("preference-var: golden numbers for [8, 7] vs [3, 2]; a spread-out pair pays less", () => {
  const scores = { chosen: [8, 7], rejected: [3, 2] };
  const { chosen, rejected } = preferenceVarianceReward(scores, { margin: 0 });
  const soft = preferenceReward(scores, { margin: 0 });
  // pair mean 5: deviations 3 2 -2 -3 -> penalties 0.25 x 9/25 = 0.09 and 0.25 x 4/25 = 0.04
  assertAlmostEquals(chosen[0], soft.chosen[0] - 0.09, 1e-15);
  assertAlmostEquals(chosen[1], soft.chosen[1] - 0.04, 1e-15);
  assertAlmostEquals(rejected[0], soft.rejected[0] - 0.04, 1e-15);
  assertAlmostEquals(rejected[1], soft.rejected[1] - 0.09, 1e-15);
  // pushing the chosen 8 to 10 raises its soft credit but lowers its penalised reward
  const wider = preferenceVarianceReward({ chosen: [10, 7], rejected: [3, 2] }, { margin: 0 });
  assert(
    preferenceReward({ chosen: [10, 7], rejected: [3, 2] }, { margin: 0 }).chosen[0] >
      soft.chosen[0],
  );
  assert(wider.chosen[0] < chosen[0], `${wider.chosen[0]} vs ${chosen[0]}`);
});
