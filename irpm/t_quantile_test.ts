import { assertAlmostEquals, assertEquals, assertLess, assertThrows } from "@std/assert";
// Independent reference (needs --allow-env when imported, see t_quantile.ts; tests run with -A).
import stdlibQuantile from "@stdlib/stats-base-dists-t-quantile";
import { studentTQuantile } from "./t_quantile.ts";

Deno.test("t quantile: closed forms and the value the interval design relies on", () => {
  // df = 1 (Cauchy): t = tan(pi (p - 1/2)); tan(0.475 pi) = 12.7062047362
  assertAlmostEquals(studentTQuantile(0.975, 1), Math.tan(0.475 * Math.PI), 1e-11);
  // df = 2: t = (2p - 1) / sqrt(2 p (1 - p)) = 0.95 / sqrt(0.04875) = 4.3026527297
  assertAlmostEquals(studentTQuantile(0.975, 2), 0.95 / Math.sqrt(2 * 0.975 * 0.025), 1e-12);
  // df = 3 (G = 4): 3.18244630528371 (R qt(0.975, 3), scipy t.ppf)
  assertAlmostEquals(studentTQuantile(0.975, 3), 3.18244630528371, 1e-12);
  assertAlmostEquals(studentTQuantile(0.75, 3), 0.7648923284043444, 1e-12); // alpha = 0.5
  // Symmetry and the ends.
  assertEquals(studentTQuantile(0.025, 3), -studentTQuantile(0.975, 3));
  assertEquals(studentTQuantile(0.5, 7), 0);
  assertEquals([studentTQuantile(0, 4), studentTQuantile(1, 4)], [-Infinity, Infinity]);
});

Deno.test("t quantile matches @stdlib to 1e-9 relative over df 1..1000 and p in the tails", () => {
  const dfs = [...Array.from({ length: 30 }, (_, k) => k + 1), 63, 127, 1000];
  const ps = [0.0005, 0.01, 0.025, 0.05, 0.3, 0.51, 0.75, 0.9, 0.95, 0.975, 0.99, 0.995, 0.9995];
  for (const df of dfs) {
    for (const p of ps) {
      const ours = studentTQuantile(p, df);
      const reference = stdlibQuantile(p, df);
      assertLess(Math.abs(ours - reference) / Math.abs(reference), 1e-9, `p ${p}, df ${df}`);
    }
  }
});

Deno.test("t quantile rejects p outside [0, 1] and non-integer or non-positive df", () => {
  for (const p of [-0.1, 1.1, NaN]) {
    assertThrows(() => studentTQuantile(p, 3), RangeError, `got ${p}`);
  }
  for (const df of [0, -1, 2.5, NaN, Infinity]) {
    assertThrows(() => studentTQuantile(0.975, df), RangeError, `got ${df}`);
  }
});
