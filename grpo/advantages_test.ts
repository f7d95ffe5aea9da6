import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  advantageScalings,
  batchScaledAdvantages,
  fracRewardZeroStd,
  groupAdvantages,
  groupScaledAdvantages,
  unscaledAdvantages,
} from "./advantages.ts";

const EPS = 1e-6;

function assertAllClose(actual: number[], expected: number[], tol = 1e-12): void {
  assertEquals(actual.length, expected.length);
  actual.forEach((a, i) =>
    assertAlmostEquals(a, expected[i], tol, `index ${i}: ${a} vs ${expected[i]}`)
  );
}

Deno.test("groupAdvantages: hand numbers for a +-1 group", () => {
  // [1, -1, 1, -1]: mean 0, deviations +-1, unbiased var = 4 / 3, std = 1.1547005383792515
  // A = +-1 / (1.1547005383792515 + 1e-6) = +-0.8660246537850883
  assertAllClose(groupAdvantages([1, -1, 1, -1]), [
    0.8660246537850883,
    -0.8660246537850883,
    0.8660246537850883,
    -0.8660246537850883,
  ]);
  // [1, 1, 1, -1]: mean 0.5, deviations [0.5, 0.5, 0.5, -1.5], var = (0.75 + 2.25) / 3 = 1
  assertAllClose(groupAdvantages([1, 1, 1, -1]), [0.5, 0.5, 0.5, -1.5].map((x) => x / (1 + EPS)));
  // format-penalised rollout: [1, -1.5, 1, 0.5]: mean 0.25, dev [0.75, -1.75, 0.75, 0.25],
  // sum sq = 0.5625 + 3.0625 + 0.5625 + 0.0625 = 4.25, var = 4.25 / 3, std = 1.1902380714238083
  const sd = 1.1902380714238083;
  assertAllClose(
    groupAdvantages([1, -1.5, 1, 0.5]),
    [0.75, -1.75, 0.75, 0.25].map((x) => x / (sd + EPS)),
  );
});

Deno.test("groupAdvantages: all-equal groups give exactly 0, G = 1 gives [0], never NaN", () => {
  // mean([0.1, 0.1, 0.1]) = 0.10000000000000002 in IEEE doubles: the formula alone is not 0 here
  assert((0.1 + 0.1 + 0.1) / 3 !== 0.1);
  assertEquals(groupAdvantages([0.1, 0.1, 0.1]), [0, 0, 0]);
  assertEquals(groupAdvantages([-1, -1, -1, -1]), [0, 0, 0, 0]);
  assertEquals(groupAdvantages([3]), [0]);
  assertEquals(groupAdvantages([3], { epsilon: 0 }), [0]);
  for (const a of groupAdvantages([1, 1], { epsilon: 0 })) assert(Object.is(a, 0));
});

Deno.test("groupAdvantages: epsilon option, zero-sum and unit-variance properties", () => {
  const a = groupAdvantages([0, 2], { epsilon: 0 }); // mean 1, std sqrt(2)
  assertAllClose(a, [-1 / Math.SQRT2, 1 / Math.SQRT2]);
  const b = groupAdvantages([0.3, -2, 7, 1.25, 4], { epsilon: 0 });
  assertAlmostEquals(b.reduce((s, x) => s + x, 0), 0, 1e-12);
  assertAlmostEquals(b.reduce((s, x) => s + x * x, 0) / (b.length - 1), 1, 1e-12);
});

Deno.test("groupAdvantages: bad input is rejected with the value in the message", () => {
  assertThrows(() => groupAdvantages([]), RangeError, "empty");
  assertThrows(() => groupAdvantages([1, NaN]), RangeError, "[1]");
  assertThrows(() => groupAdvantages([1, Infinity]), RangeError, "Infinity");
  assertThrows(() => groupAdvantages([1, 2], { epsilon: -1 }), RangeError, "-1");
});

// The batch used for the three scalings: two informative groups and one all-equal group.
const BATCH = [[1, 1, 1, -1], [1, -1, -1, -1], [0.5, 0.5, 0.5, 0.5]];

Deno.test("groupScaledAdvantages: each group on its own", () => {
  // group 0: centred [0.5, 0.5, 0.5, -1.5], std 1; group 1: centred [1.5, -0.5, -0.5, -0.5], std 1
  const [a, b, c] = groupScaledAdvantages(BATCH);
  assertAllClose(a, [0.5, 0.5, 0.5, -1.5].map((x) => x / (1 + EPS)));
  assertAllClose(b, [1.5, -0.5, -0.5, -0.5].map((x) => x / (1 + EPS)));
  assertEquals(c, [0, 0, 0, 0]);
});

Deno.test("batchScaledAdvantages: one std over all centred values", () => {
  // centred values: group 0 and 1 as above, group 2 zeros; N = 12, sum sq = 3 + 3 + 0 = 6,
  // unbiased var = 6 / 11, std = 0.7385489458759964
  // 0.5 / (0.7385489458759964 + 1e-6) = 0.6770022837209045, 1.5 / (...) = 2.0310068511627137
  const [a, b, c] = batchScaledAdvantages(BATCH);
  const lo = 0.6770022837209045, hi = 2.0310068511627137;
  assertAllClose(a, [lo, lo, lo, -hi]);
  assertAllClose(b, [hi, -lo, -lo, -lo]);
  assertEquals(c, [0, 0, 0, 0]);
  // a batch with no signal at all stays exactly 0, and a single group of one too
  assertEquals(batchScaledAdvantages([[1, 1], [0.1, 0.1, 0.1]]), [[0, 0], [0, 0, 0]]);
  assertEquals(batchScaledAdvantages([[5]]), [[0]]);
});

Deno.test("batch vs group scaling differ when groups have different spreads", () => {
  // group 0 spread is 10x group 1: group scaling makes both unit-std, batch scaling keeps the ratio
  const groups = [[10, -10], [1, -1]];
  const [g0, g1] = groupScaledAdvantages(groups, { epsilon: 0 });
  assertAlmostEquals(g0[0], g1[0], 1e-12);
  const [b0, b1] = batchScaledAdvantages(groups, { epsilon: 0 });
  assertAlmostEquals(b0[0] / b1[0], 10, 1e-12);
  // centred [10, -10, 1, -1]: sum sq 202, var 202 / 3
  assertAlmostEquals(b0[0], 10 / Math.sqrt(202 / 3), 1e-12);
});

Deno.test("unscaledAdvantages: mean-centred only (Dr. GRPO)", () => {
  assertEquals(unscaledAdvantages(BATCH), [[0.5, 0.5, 0.5, -1.5], [1.5, -0.5, -0.5, -0.5], [
    0,
    0,
    0,
    0,
  ]]);
  assertEquals(unscaledAdvantages([[0.1, 0.1, 0.1]]), [[0, 0, 0]]);
});

Deno.test("advantageScalings record names the three functions", () => {
  assertEquals(Object.keys(advantageScalings).sort(), ["batch", "group", "none"]);
  assertEquals(advantageScalings.group, groupScaledAdvantages);
  assertEquals(advantageScalings.batch, batchScaledAdvantages);
  assertEquals(advantageScalings.none, unscaledAdvantages);
  assert(Object.isFrozen(advantageScalings));
});

Deno.test("fracRewardZeroStd: counts all-equal groups, G = 1 included", () => {
  assertAlmostEquals(fracRewardZeroStd(BATCH), 1 / 3, 1e-15);
  assertEquals(fracRewardZeroStd([[1], [2, 2], [1, 2]]), 2 / 3);
  assertEquals(fracRewardZeroStd([[1, -1]]), 0);
});

Deno.test("batch functions reject an empty batch and bad groups", () => {
  for (const f of [groupScaledAdvantages, batchScaledAdvantages, unscaledAdvantages]) {
    assertThrows(() => f([]), RangeError, "at least one");
    assertThrows(() => f([[1], []]), RangeError, "group 1");
  }
  assertThrows(() => fracRewardZeroStd([]), RangeError);
  assertThrows(() => batchScaledAdvantages([[1, NaN]]), RangeError, "NaN");
});
