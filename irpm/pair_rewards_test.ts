import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { scoreGroups, scorePair } from "./pair_rewards.ts";

const judged = (score: number | string) => `<critique>ok</critique><score>${score}</score>`;
const rewardsOf = (rollouts: { reward: number }[]) => rollouts.map((r) => r.reward);

Deno.test("an invalid chosen rollout scores 0 and that 0 enters the rejected side's bar", () => {
  // S_c = [8, 0 stand-in, 7, 9] -> mean 24 / 4 = 6; S_r = [5, 6, 4, 5] -> mean 5; delta = 2 - 2 = 0
  // chosen bar 5: 8 +1, 0 -> -1 - 0.5 = -1.5, 7 +1, 9 +1
  // rejected bar 6: 5 +1, 6 -1 (tie; had the invalid rollout been dropped the bar would be 8), 4 +1, 5 +1
  const out = scoreGroups(
    { chosen: [8, null, 7, 9], rejected: [5, 6, 4, 5] },
    { design: "mean", margin: "adaptive", strength: 2 },
  );
  assertEquals(rewardsOf(out.chosen), [1, -1.5, 1, 1]);
  assertEquals(rewardsOf(out.rejected), [1, -1, 1, 1]);
  assertEquals(out.chosen[1], {
    reward: -1.5,
    score: 0,
    formatPenalty: -0.5,
    valid: false,
    reason: "invalid",
  });
  assertEquals(out.chosen[0], { reward: 1, score: 8, formatPenalty: 0, valid: true });
});

Deno.test("an invalid rejected rollout scores 10 and that 10 enters the chosen side's bar", () => {
  // S_r = [10 stand-in, 5, 6, 4] -> mean 25 / 4 = 6.25; S_c = [7, 8, 6, 9] -> mean 7.5; delta 0
  // chosen bar 6.25: 7 +1, 8 +1, 6 -1, 9 +1 (without the stand-in the bar would be
  // mean(5, 6, 4) = 5 and 6 would win)
  // rejected bar 7.5: 10 -> -1 - 0.5 = -1.5, 5 +1, 6 +1, 4 +1
  const out = scoreGroups(
    { chosen: [7, 8, 6, 9], rejected: [null, 5, 6, 4] },
    { design: "mean", margin: 0, strength: 2 },
  );
  assertEquals(rewardsOf(out.chosen), [1, 1, -1, 1]);
  assertEquals(rewardsOf(out.rejected), [-1.5, 1, 1, 1]);
  assertEquals(out.rejected[0].score, 10);
});

Deno.test("an invalid rollout can still win under a lenient margin: +1 - 0.5 = +0.5", () => {
  // strength 0 -> delta = -2. S_c = [0 stand-in, 5], mean 2.5; S_r = [1, 1], mean 1.
  // chosen bar 1 - 2 = -1: 0 -> +1 - 0.5 = +0.5, 5 -> +1; rejected bar 2.5 + 2 = 4.5: 1, 1 -> +1
  const out = scoreGroups(
    { chosen: [null, 5], rejected: [1, 1] },
    { design: "mean", margin: "adaptive", strength: 0 },
  );
  assertEquals(rewardsOf(out.chosen), [0.5, 1]);
  assertEquals(rewardsOf(out.rejected), [1, 1]);
});

Deno.test("G = 1: both sides invalid, each stand-in is the other's bar", () => {
  // S_c = [0], S_r = [10]; delta 1 (strength 3): 0 > 11 fails, 10 < -1 fails -> -1.5 each
  const out = scoreGroups(
    { chosen: [null], rejected: [null] },
    { design: "median", margin: "adaptive", strength: 3 },
  );
  assertEquals([rewardsOf(out.chosen), rewardsOf(out.rejected)], [[-1.5], [-1.5]]);
  assertThrows(
    () =>
      scoreGroups({ chosen: [7], rejected: [5] }, { design: "interval", margin: 0, strength: 2 }),
    RangeError,
    "at least 2",
  );
});

Deno.test("soft designs add the penalty to the credit; custom format penalty", () => {
  // preference, S_c = [1, 0 stand-in], S_r = [0]: credits s(1) = 0.7310585786 and s(0) = 0.5
  const out = scoreGroups(
    { chosen: [1, null], rejected: [0] },
    { design: "preference", margin: 0, strength: 2, formatPenalty: -1 },
  );
  assertAlmostEquals(out.chosen[0].reward, 0.7310585786300049, 1e-15);
  assertEquals(out.chosen[1].reward, 0.5 - 1);
  // rejected 0: (s(1 - 0) + s(0 - 0)) / 2 = (0.7310585786 + 0.5) / 2
  assertAlmostEquals(out.rejected[0].reward, (0.7310585786300049 + 0.5) / 2, 1e-15);
});

Deno.test("interval design sees the stand-ins too (alpha passes through)", () => {
  // S_c = [8, 8, 0 stand-in]: mean 16/3, SS = 2 (8/3)^2 + (16/3)^2 = 384/9 = 42.667, sd = 4.6188,
  // se = 2.6667; S_r = [5, 5, 5]: CI [5, 5]. delta 0. chosen: 8 > 5 +1, 8 +1, 0 -> -1.5.
  // rejected bar CI_low(S_c) = 5.333 - t * 2.667 < 0 for alpha 0.05 (t = 4.303): 5 < bar fails -> -1.
  // With alpha 0.9 (t(0.55, 2) = 0.1421) the bar is 5.333 - 0.379 = 4.954: 5 still fails.
  // With alpha 0.99 (t(0.505, 2) = 0.01414) the bar is 5.333 - 0.0377 = 5.296: 5 < 5.296 -> +1.
  const groups = { chosen: [8, 8, null], rejected: [5, 5, 5] };
  const run = (alpha: number) =>
    scoreGroups(groups, { design: "interval", margin: 0, strength: 2, alpha });
  assertEquals(rewardsOf(run(0.05).chosen), [1, 1, -1.5]);
  assertEquals(rewardsOf(run(0.05).rejected), [-1, -1, -1]);
  assertEquals(rewardsOf(run(0.9).rejected), [-1, -1, -1]);
  assertEquals(rewardsOf(run(0.99).rejected), [1, 1, 1]);
});

Deno.test("scoreGroups rejects bad scores, strength, design and flag shapes", () => {
  const base = { design: "mean" as const, margin: 0, strength: 2 };
  assertThrows(
    () => scoreGroups({ chosen: [11], rejected: [5] }, base),
    RangeError,
    "scores.chosen[0] must be null or in [0, 10], got 11",
  );
  assertThrows(() => scoreGroups({ chosen: [NaN], rejected: [5] }, base), RangeError, "NaN");
  assertThrows(
    () => scoreGroups({ chosen: [7], rejected: [5] }, { ...base, strength: 4 }),
    RangeError,
    "strength",
  );
  assertThrows(
    () => scoreGroups({ chosen: [7], rejected: [5] }, { ...base, design: "avg" as "mean" }),
    TypeError,
    '"avg"',
  );
  assertThrows(
    () =>
      scoreGroups({ chosen: [7], rejected: [5] }, {
        ...base,
        overlong: { chosen: [], rejected: [false] },
      }),
    RangeError,
    "overlong",
  );
  assertThrows(() => scoreGroups({ chosen: [], rejected: [5] }, base), RangeError, "empty");
});

Deno.test("scorePair: parses texts, reports parse reasons, substitutes worst cases", () => {
  const out = scorePair(
    {
      chosen: [judged(8), "Score: 9/10", judged(7), judged(9)],
      rejected: [judged(5), judged(6), judged("10.5"), judged(5)],
    },
    { design: "mean", margin: "adaptive", strength: 2 },
  );
  // S_c = [8, 0, 7, 9] mean 6; S_r = [5, 6, 10, 5] mean 6.5; delta 0
  // chosen bar 6.5: 8 +1, 0 -1.5, 7 +1, 9 +1; rejected bar 6: 5 +1, 6 -1 (tie), 10 -1.5, 5 +1
  assertEquals(rewardsOf(out.chosen), [1, -1.5, 1, 1]);
  assertEquals(rewardsOf(out.rejected), [1, -1, -1.5, 1]);
  assertEquals(out.chosen[1].reason, "no_match");
  assertEquals(out.rejected[2].reason, "score_out_of_range");
  assertEquals(out.rejected[2].score, 10);
});

Deno.test("scorePair: over-long penalty for valid outputs only, counted in code points, no stacking", () => {
  // "<critique>" 10 + "😀" 1 code point (2 UTF-16 units) + "</critique>" 11 + "<score>" 7 + "5" 1
  // + "</score>" 8 = 38 code points.
  const emoji = "<critique>\u{1F600}</critique><score>5</score>";
  const long = "x".repeat(40); // invalid and over-long
  const texts = { chosen: [emoji, long], rejected: [judged(3), judged(3)] };
  const options = { design: "mean" as const, margin: 0, strength: 2 };
  // maxLength 38: nothing valid is over; the invalid 40-char text pays only the format penalty.
  const fits = scorePair(texts, { ...options, maxLength: 38 });
  assertEquals(fits.chosen[0].formatPenalty, 0);
  assertEquals(fits.chosen[1].formatPenalty, -0.5);
  assertEquals(fits.chosen[1].reason, "no_match");
  // maxLength 37: the emoji output is over-long; it keeps its score (5 > mean 3) but pays -0.5.
  const over = scorePair(texts, { ...options, maxLength: 37 });
  assertEquals(over.chosen[0], {
    reward: 0.5,
    score: 5,
    formatPenalty: -0.5,
    valid: true,
    reason: "overlong",
  });
  assertEquals(over.chosen[1].reward, -1.5); // 0 > 3 fails: -1 - 0.5, not -2
  const custom = scorePair(texts, { ...options, maxLength: 37, overlongPenalty: -0.25 });
  assertEquals(custom.chosen[0].reward, 0.75);
  // Without maxLength nothing is over-long.
  assertEquals(scorePair(texts, options).chosen[0].reward, 1);
});

Deno.test("scorePair rejects non-string texts and a bad maxLength", () => {
  const options = { design: "mean" as const, margin: 0, strength: 2 };
  assertThrows(
    () =>
      scorePair({ chosen: [judged(5), 7 as unknown as string], rejected: [judged(3)] }, options),
    TypeError,
    "texts.chosen[1] must be a string",
  );
  for (const maxLength of [0, -5, 1.5, NaN]) {
    assertThrows(
      () => scorePair({ chosen: [judged(5)], rejected: [judged(3)] }, { ...options, maxLength }),
      RangeError,
      "maxLength",
    );
  }
});
