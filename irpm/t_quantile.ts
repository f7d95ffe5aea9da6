/**
 * Student-t quantile for integer degrees of freedom, exact up to floating point.
 *
 * Why not `@stdlib/stats-base-dists-t-quantile`: it pulls in `debug@2`, which enumerates
 * `process.env` on import, so any module importing it needs `--allow-env`, and
 * `deno task rewards` runs with no permissions. The interval design only needs integer
 * df = G - 1, where the t distribution function has a closed form, so it is inverted here by
 * bisection; `t_quantile_test.ts` checks it against the stdlib implementation.
 *
 * @module
 */

/**
 * A(t | df) = P(|T| <= t) for T ~ Student-t with integer `df`, as a function of
 * theta = atan(t / sqrt(df)) (Abramowitz & Stegun 26.7.3-26.7.4):
 *   df = 1:        A = 2 theta / pi
 *   df odd >= 3:   A = (2/pi) [theta + sin(theta) sum_{k=1}^{(df-1)/2} c_k cos^(2k-1)(theta)],
 *                  c_1 = 1, c_{k+1} = c_k * 2k / (2k + 1)
 *   df even:       A = sin(theta) sum_{k=0}^{(df-2)/2} d_k cos^(2k)(theta),
 *                  d_0 = 1, d_{k+1} = d_k * (2k + 1) / (2k + 2)
 */
function twoSidedMass(theta: number, df: number): number {
  const sin = Math.sin(theta);
  const cos = Math.cos(theta);
  const cos2 = cos * cos;
  if (df % 2 === 0) {
    let term = 1;
    let sum = 1;
    for (let k = 0; k < (df - 2) / 2; k++) {
      term *= (cos2 * (2 * k + 1)) / (2 * k + 2);
      sum += term;
    }
    return sin * sum;
  }
  if (df === 1) return (2 * theta) / Math.PI;
  let term = cos;
  let sum = cos;
  for (let k = 1; k < (df - 1) / 2; k++) {
    term *= (cos2 * 2 * k) / (2 * k + 1);
    sum += term;
  }
  return (2 / Math.PI) * (theta + sin * sum);
}

/**
 * Quantile of Student's t distribution: the t with P(T <= t) = p, for integer df >= 1.
 *
 * Solves A(t | df) = |2p - 1| for theta in [0, pi/2] by bisection (A increases in theta), then
 * t = sign(p - 1/2) sqrt(df) tan(theta). p = 0 and p = 1 give -Infinity and Infinity.
 * Throws RangeError for p outside [0, 1] and for df that is not a positive integer.
 *
 * @example
 * ```ts
 * import { studentTQuantile } from "./t_quantile.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * assertAlmostEquals(studentTQuantile(0.975, 3), 3.18244630528371, 1e-12);
 * assertAlmostEquals(studentTQuantile(0.75, 1), 1, 1e-12); // df = 1 is Cauchy: tan(pi/4)
 * ```
 */
export function studentTQuantile(p: number, df: number): number {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new RangeError(`studentTQuantile: p must be in [0, 1], got ${String(p)}`);
  }
  if (!Number.isInteger(df) || df < 1) {
    throw new RangeError(`studentTQuantile: df must be a positive integer, got ${String(df)}`);
  }
  if (p === 0.5) return 0;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const target = Math.abs(2 * p - 1);
  let lo = 0;
  let hi = Math.PI / 2;
  for (let step = 0; step < 200; step++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (twoSidedMass(mid, df) < target) lo = mid;
    else hi = mid;
  }
  const t = Math.sqrt(df) * Math.tan((lo + hi) / 2);
  return p > 0.5 ? t : -t;
}
