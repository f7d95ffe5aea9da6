import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { fractionalRanks, pearson, spearman } from "./spearman.ts";
import { createPrng } from "../rng/prng.ts";

// Independent reference: ranks by counting (O(n^2)), rho from raw rank sums:
// rho = (sum rx ry - n m^2) / sqrt((sum rx^2 - n m^2)(sum ry^2 - n m^2)), m = (n + 1) / 2
// (average ranks always have mean (n + 1) / 2, ties or not).
function bruteRanks(v: number[]): number[] {
  return v.map((a) => v.filter((b) => b < a).length + (v.filter((b) => b === a).length + 1) / 2);
}
function bruteSpearman(x: number[], y: number[]): number {
  const rx = bruteRanks(x), ry = bruteRanks(y), n = x.length, m = (n + 1) / 2;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += rx[i] * ry[i];
    sxx += rx[i] * rx[i];
    syy += ry[i] * ry[i];
  }
  return (sxy - n * m * m) / Math.sqrt((sxx - n * m * m) * (syy - n * m * m));
}

Deno.test("fractionalRanks: average ranks for ties", () => {
  assertEquals(fractionalRanks([]), []);
  assertEquals(fractionalRanks([3, 1, 2]), [3, 1, 2]);
  assertEquals(fractionalRanks([5, 5, 5]), [2, 2, 2]);
  // sorted 1 | 2 2 2 | 7: ranks 1 | (2+3+4)/3 = 3 | 5
  assertEquals(fractionalRanks([2, 7, 2, 1, 2]), [3, 5, 3, 1, 3]);
  assertEquals(fractionalRanks([-Infinity, 0, Infinity]), [1, 2, 3]);
});

Deno.test("spearman: hand value with a tie in y", () => {
  // x = 1..5 -> ranks 1..5; y = 5 6 7 8 7 -> ranks 1 2 3.5 5 3.5; both means 3
  // dx = -2 -1 0 1 2; dy = -2 -1 0.5 2 0.5; sxy = 4 + 1 + 0 + 2 + 1 = 8
  // sxx = 10, syy = 4 + 1 + 0.25 + 4 + 0.25 = 9.5; rho = 8 / sqrt(95) = 0.8207826817
  const r = spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]);
  assertAlmostEquals(r.rho, 8 / Math.sqrt(95), 1e-15);
  assertAlmostEquals(r.rho, 0.8207826816681233, 1e-12);
  assertEquals([r.n, r.excluded], [5, 0]);
});

Deno.test("spearman: perfect agreement, reversal and monotone invariance", () => {
  assertEquals(spearman([1, 2, 3], [10, 20, 30]).rho, 1);
  assertEquals(spearman([1, 2, 3], [30, 20, 10]).rho, -1);
  const x = [0.3, 2, 1.1, 9, 4];
  const y = [1, 3, 2, 4, 6];
  assertAlmostEquals(spearman(x.map(Math.exp), y).rho, spearman(x, y).rho, 1e-15);
});

Deno.test("spearman: invalid pairs are excluded and counted", () => {
  // kept: (1,10) (3,30) (4,25) -> ranks x 1 2 3, y 1 3 2: sum d^2 = 2, rho = 1 - 12/24 = 0.5
  const r = spearman([1, null, 3, NaN, 4], [10, 20, 30, 40, 25]);
  assertEquals([r.n, r.excluded], [3, 2]);
  assertAlmostEquals(r.rho, 0.5, 1e-15);
  const s = spearman([1, 2, 3], [null, null, 7]);
  assertEquals([Number.isNaN(s.rho), s.n, s.excluded], [true, 1, 2]);
});

Deno.test("spearman: undefined cases give NaN, never 0", () => {
  assertEquals(Number.isNaN(spearman([], []).rho), true);
  assertEquals(Number.isNaN(spearman([4], [2]).rho), true);
  assertEquals(Number.isNaN(spearman([5, 5, 5], [1, 2, 3]).rho), true); // constant x
  assertEquals(Number.isNaN(spearman([1, 2, 3], [7, 7, 7]).rho), true); // constant y
  assertEquals(Number.isNaN(pearson([1, 1], [2, 3])), true);
});

Deno.test("spearman: parity with the brute-force reference on tied random data", () => {
  const prng = createPrng(2024);
  for (let trial = 0; trial < 200; trial++) {
    const n = 3 + prng.int(30);
    const x = Array.from({ length: n }, () => prng.int(5)); // many ties
    const y = x.map((v) => v + prng.int(4));
    const expected = bruteSpearman(x, y);
    const got = spearman(x, y).rho;
    if (Number.isNaN(expected)) assertEquals(Number.isNaN(got), true);
    else assertAlmostEquals(got, expected, 1e-12);
  }
});

Deno.test("spearman: without ties equals 1 - 6 sum d^2 / (n (n^2 - 1))", () => {
  const prng = createPrng(7);
  for (let trial = 0; trial < 50; trial++) {
    const n = 2 + prng.int(20);
    const x = Array.from({ length: n }, () => prng.next());
    const y = Array.from({ length: n }, () => prng.next());
    const rx = fractionalRanks(x), ry = fractionalRanks(y);
    const d2 = rx.reduce((a, r, i) => a + (r - ry[i]) ** 2, 0);
    assertAlmostEquals(spearman(x, y).rho, 1 - (6 * d2) / (n * (n * n - 1)), 1e-12);
  }
});

Deno.test("spearman/pearson/fractionalRanks: bad input", () => {
  assertThrows(() => spearman([1, 2], [1]), RangeError, "x has 2 values, y has 1");
  assertThrows(() => pearson([1], [1, 2]), RangeError);
  assertThrows(() => spearman([1, "2" as unknown as number], [1, 2]), TypeError, "x[1]");
  assertThrows(() => fractionalRanks([1, NaN]), TypeError, "values[1]");
});
